"""Benchmark a freshly baked project (bench/run is the command).

- static: the Procfile web process and nginx (brotli_static) serving the same hashed file from
  the same STATIC_ROOT, in the same run, driven by wrk on 127.0.0.1; req/s, p50, p99, ratio;
- dynamic: the home page from the Procfile web process;
- logins: what the login throttle adds to a login;
- upload memory: peak RSS of storing a large file through the default storage (local disk, and
  each bucket option against its emulator on loopback: moto, gcp-storage-emulator, Azurite),
  and of the web process reading a large request body;
- avatars: the worst inputs the rules accept, and the stored formats compared;
- timings: bake, the template's test suite, and a newcomer's first run from empty caches.
"""

import argparse
import os
import statistics
import sys
from contextlib import ExitStack
from pathlib import Path

from ..http import fetch
from ..options import BUCKET_OPTIONS, OPTIONS
from ..processes import free_port, serve
from ..project import TEMPLATE
from ..scratch import scratch_directory
from .avatars import avatar_costs, avatar_formats
from .logins import login_cost
from .memory import bucket_upload_memory, store_large_file
from .report import Report
from .servers import ASSET, ensure_tools, nginx_static, peak_rss_mb, post_large_body, wrk
from .timings import newcomer_seconds, suite_seconds, timed_bake

RESULTS = TEMPLATE / "docs" / "results.md"


def arguments():
    parser = argparse.ArgumentParser(description="Benchmark a freshly baked project.")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per target")
    parser.add_argument("--upload-mb", type=int, default=500, help="size of the large file")
    parser.add_argument("--skip-suite", action="store_true", help="do not time the test suite")
    parser.add_argument("--skip-newcomer", action="store_true", help="do not time a first run")
    parser.add_argument(
        "--quick", action="store_true", help="one avatar input and two format images (smoke test)"
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help=f"where to write them (default {RESULTS})"
    )
    return parser.parse_args()


def main():
    args = arguments()
    ensure_tools()
    report = Report("bench/run " + " ".join(sys.argv[1:]))
    with scratch_directory("bench-") as work:
        bakes = [timed_bake(work / f"bake-{n}") for n in range(5)]
        project = bakes[0][0].install()
        env = project.prod_env(work, PORT=str(free_port()))
        project.manage("migrate", "--noinput", env=env)
        project.manage("createcachetable", env=env)
        project.manage("collectstatic", "--noinput", env=env)
        body_peak = serving(report, project, env, work, args)
        report.table(
            "Logins",
            ["Login (prod settings, SQLite, a fast password hasher)", "median ms"],
            login_cost(project, env, 20 if args.quick else 300),
            note="The same login with the login throttle on and off, alternating, in one "
            "process; the production hasher adds its deliberate cost to both.",
        )
        memory(report, project, env, work, args, body_peak)
        timings(report, work, args, [seconds for _, seconds in bakes])
    report.write(args.results)
    print(report.markdown())


def serving(report, project, env, work, args):
    """Static and page speed, and the avatar costs, from one running web process; returns
    its peak RSS after a large request body."""
    static_root = work / "staticfiles"
    asset = next(p for p in static_root.rglob("*.css") if ASSET.search(str(p)))
    url_path = "/static/" + str(asset.relative_to(static_root))
    app_port, nginx_port = int(env["PORT"]), free_port()
    with ExitStack() as running:
        log = work / "web.log"
        command = project.procfile_command()
        app = running.enter_context(serve(command, app_port, cwd=project.path, env=env, log=log))
        log = work / "nginx.log"
        nginx = nginx_static(work, static_root, nginx_port)
        running.enter_context(serve(nginx, nginx_port, cwd=work, env=dict(os.environ), log=log))
        headers = {"Accept-Encoding": "br", "X-Forwarded-Proto": "https"}
        shown = fetch(f"http://127.0.0.1:{app_port}{url_path}", headers).headers
        by_nginx = wrk(f"http://127.0.0.1:{nginx_port}{url_path}", args.duration)
        static = wrk(f"http://127.0.0.1:{app_port}{url_path}", args.duration)
        home = wrk(f"http://127.0.0.1:{app_port}/", args.duration)
        post_large_body(app_port, args.upload_mb)
        body_peak = peak_rss_mb(app.process.pid)
        threads = int(env.get("WEB_THREADS", 4))
        avatars = avatar_costs(project, env, work, threads, quick=args.quick)
    rows = [
        ("static, nginx brotli_static", *rate(by_nginx), "1.00"),
        ("static, Procfile web process", *rate(static), f"{static[0] / by_nginx[0]:.2f}"),
        ("home page, Procfile web process", *rate(home), ""),
    ]
    note = (
        f"wrk -t2 -c32 -d{args.duration}s with Accept-Encoding: br on 127.0.0.1; file "
        f"{url_path} ({asset.stat().st_size:,} bytes). The web process's static headers: "
        + ", ".join(f"{n}: {shown.get(n)}" for n in ("cache-control", "content-encoding", "vary"))
    )
    report.table("Speed", ["Target", "req/s", "p50 ms", "p99 ms", "app/nginx"], rows, note)
    columns = ["Avatar input (largest accepted)", "bytes", "MB above idle", "s"]
    columns += [f"{threads} at once: MB", "s"]
    rows = [
        (n, f"{size:,}", peak, f"{s:.2f}", peak_n, f"{s_n:.2f}")
        for n, size, peak, s, peak_n, s_n in avatars
    ]
    report.table("Avatars", columns, rows)
    formats = avatar_formats(2 if args.quick else 8)
    rows = [(name, f"{kb:.1f}", f"{psnr:.1f}") for name, kb, psnr in formats]
    columns = ["Stored format, photo-like 512×512 images", "mean KB", "mean PSNR dB"]
    report.table("Avatar formats", columns, rows)
    return body_peak


def rate(measured):
    requests, p50, p99 = measured
    return f"{requests:,.0f}", f"{p50:.2f}", f"{p99:.2f}"


def memory(report, project, env, work, args, body_peak):
    megabytes = args.upload_mb
    rows = [
        (f"Web process after a {megabytes} MB request body (413 unread)", f"{body_peak} MB"),
        (f"Storing {megabytes} MB, local disk", f"{store_large_file(project, env, megabytes)} MB"),
    ]
    for option in BUCKET_OPTIONS:
        peak = bucket_upload_memory(work, option, megabytes)
        rows.append((f"Storing {megabytes} MB, {OPTIONS[option].label}", f"{peak} MB"))
    report.table("Upload memory", ["Peak RSS", "MB"], rows)


def timings(report, work, args, bake_times):
    suite = None if args.skip_suite else suite_seconds()
    newcomer = None if args.skip_newcomer else newcomer_seconds(work)
    rows = [
        ("Bake, median of 5", f"{statistics.median(bake_times) * 1000:.0f} ms"),
        ("Template test suite", "skipped" if suite is None else f"{suite:.0f} s"),
        (
            "Newcomer, empty caches to dev server answering",
            "skipped" if newcomer is None else f"{newcomer:.0f} s",
        ),
    ]
    report.table("Timings", ["Step", "Time"], rows)
