"""Benchmark a freshly baked project (bench/run is the command).

- static: the Procfile web process and nginx (brotli_static) serving the same hashed file from
  the same STATIC_ROOT, in the same run, driven by wrk on 127.0.0.1; req/s, p50, p99, ratio;
  beside them granian's own ceiling, the Procfile's command running a bare callable;
- dynamic: the home page from the Procfile web process;
- logins: what the login throttle adds to a login;
- scale: the home page and a logged-in profile through nginx with one app server and two;
- private files: the app's memory while large private files are downloaded through nginx,
  Apache and the Procfile process alone, and nginx's throughput against a public download;
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
from contextlib import ExitStack, contextmanager
from pathlib import Path

from ..http import fetch
from ..options import BUCKET_OPTIONS, OPTIONS
from ..processes import free_port, serve
from ..project import TEMPLATE
from ..scratch import scratch_directory
from ..webservers import WEB_SERVERS, web_server
from .avatars import avatar_costs, avatar_formats
from .ceiling import ceiling_rows
from .logins import login_cost
from .memory import bucket_upload_memory, store_large_file
from .private import private_rows
from .report import Report
from .resilience import resilience
from .scale import scale_out_rows
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
        static_root = work / "srv" / "static"  # where the shipped web server configs look
        env = project.prod_env(
            work,
            PORT=str(free_port()),
            DJANGO_STATIC_ROOT=str(static_root),
            DJANGO_PRIVATE_ROOT=str(work / "srv" / "private"),  # where the shipped sites look
        )
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
        report.table(
            "One app server or two",
            ["Through nginx (TLS)", "app servers", "req/s", "p50 ms", "p99 ms", "/ one"],
            scale_out_rows(work, args.duration),
            note="Each app server is a Procfile process with one worker, in a directory of its "
            "own; both share PostgreSQL, Redis and the s3 option's bucket on its emulator, all on "
            "this machine's cores with nginx and wrk (wrk -t2 -c32; for the profile, a logged-in "
            "user's session cookie).",
        )
        memory(report, project, env, work, args, body_peak)
        timings(report, work, args, [seconds for _, seconds in bakes])
    report.write(args.results)
    print(report.markdown())


def serving(report, project, env, work, args):
    """Static and page speed, the stalled-body and killed-worker results, and the avatar costs,
    from one running web process; returns its peak RSS after a large request body."""
    srv = work / "srv"
    asset = next(p for p in (srv / "static").rglob("*.css") if ASSET.search(str(p)))
    url_path = "/static/" + str(asset.relative_to(srv / "static"))
    app_port = int(env["PORT"])
    with ExitStack() as running:
        log = work / "web.log"
        command = project.procfile_command()
        app = running.enter_context(serve(command, app_port, cwd=project.path, env=env, log=log))
        fronts = running.enter_context(web_servers(project, work, app_port))
        headers = {"Accept-Encoding": "br", "X-Forwarded-Proto": "https"}
        shown = fetch(f"http://127.0.0.1:{app_port}{url_path}", headers).headers
        ceiling = ceiling_rows(project, env, work, url_path, asset, shown, args.duration)
        speed(report, fronts, app_port, url_path, shown, asset, args.duration, ceiling)
        resilience(report, project, env, work, fronts, quick=args.quick)
        private_files(report, project, env, app, fronts, srv, 2 * args.upload_mb)
        post_large_body(app_port, args.upload_mb)
        body_peak = peak_rss_mb(app.process.pid)
        threads = int(env.get("WEB_THREADS", 4))
        avatars = avatar_costs(project, env, work, threads, quick=args.quick)
    columns = ["Avatar input (largest accepted)", "bytes", "MB above idle", "s"]
    columns += [f"{threads} at once: MB", "s"]
    rows = [
        (n, f"{size:,}", peak, f"{s:.2f}", peak_n, f"{s_n:.2f}")
        for n, size, peak, s, peak_n, s_n in avatars
    ]
    note = (
        "Each input in a fresh process: memory is the first batch's peak above the process's "
        "idle size; seconds are the median of the three batches after it, as in a web worker "
        "that has made avatars before."
    )
    report.table("Avatars", columns, rows, note)
    formats = avatar_formats(2 if args.quick else 8)
    rows = [(name, f"{kb:.1f}", f"{psnr:.1f}") for name, kb, psnr in formats]
    columns = ["Stored format, photo-like 512×512 images", "mean KB", "mean PSNR dB"]
    report.table("Avatar formats", columns, rows)
    return body_peak


@contextmanager
def web_servers(project, work, app_port):
    """The bare nginx (plain HTTP and TLS) and the shipped nginx and Apache sites in front of
    the app, all on STATIC_ROOT work/srv/static; yields {name: (base URL, CA file)}."""
    srv, fronts = work / "srv", {}
    with ExitStack() as running:
        for tls in (False, True):
            port = free_port()
            command = nginx_static(work, srv / "static", port, tls=tls)
            log = work / f"nginx-static-{tls}.log"
            running.enter_context(serve(command, port, cwd=work, env=dict(os.environ), log=log))
            name = "bare nginx brotli_static" + (", TLS" if tls else "")
            fronts[name] = (f"{'https' if tls else 'http'}://127.0.0.1:{port}", False)
        for name in WEB_SERVERS:
            directory = work / f"shipped-{name}"
            directory.mkdir()
            options = {"workers": "auto"} if name == "nginx" else {}
            https = running.enter_context(
                web_server(name, project, directory, app_port=app_port, srv=srv, **options)
            )
            fronts[f"shipped {name}, TLS"] = (f"https://127.0.0.1:{https}", directory / "cert.pem")
        yield fronts


def private_files(report, project, env, app, fronts, srv, megabytes):
    rows, ratio = private_rows(project, env, app, fronts, srv, megabytes)
    note = (
        "Four curl clients at once, over TLS through the shipped sites, plain HTTP to the "
        "Procfile process; the file is sparse (zeros), so the disk is not measured. The app's "
        "memory is its workers' largest growth above their idle size. nginx's private and "
        "public downloads are taken in turn, three of each; their rows show the medians. The "
        f"private download through nginx is {ratio:.2f}× the same file served publicly."
    )
    columns = ["Private files", "app MB above idle", "MB/s"]
    report.table("Private files", columns, [(w, str(m), r) for w, m, r in rows], note)


def speed(report, fronts, app_port, url_path, shown, asset, duration, ceiling):
    rows = speed_rows(fronts, app_port, url_path, duration, ceiling)
    note = (
        f"wrk -t2 -c32 -d{duration}s with Accept-Encoding: br on 127.0.0.1, keep-alive; "
        f"file {url_path} ({asset.stat().st_size:,} bytes). Each nginx runs one worker per "
        "core; the Procfile process its default workers and threads. TLS rows are compared "
        "with the bare nginx over TLS, the others with the bare nginx over plain HTTP. The "
        "bare callables run under the Procfile's own command (its interface changed for WSGI) "
        "and answer the same bytes with the same headers from memory, and nothing else: "
        "granian's ceiling for any application. The web process's static headers: "
        + ", ".join(f"{n}: {shown.get(n)}" for n in ("cache-control", "content-encoding", "vary"))
    )
    report.table("Speed", ["Target", "req/s", "p50 ms", "p99 ms", "/ bare nginx"], rows, note)


def speed_rows(fronts, app_port, url_path, duration, ceiling):
    measured = {name: wrk(base + url_path, duration) for name, (base, _) in fronts.items()}
    plain, tls = measured["bare nginx brotli_static"], measured["bare nginx brotli_static, TLS"]
    rows = [(f"static, {name}", *rate(m), "1.00") for name, m in measured.items() if "bare" in name]
    for name in ("shipped nginx, TLS", "shipped apache, TLS"):
        rows.append((f"static, {name}", *rate(measured[name]), f"{measured[name][0] / tls[0]:.2f}"))
    static = wrk(f"http://127.0.0.1:{app_port}{url_path}", duration)
    rows.append(("static, Procfile web process", *rate(static), f"{static[0] / plain[0]:.2f}"))
    for interface, bare in ceiling:
        name = f"static, granian alone: a bare {interface.upper()} callable, no Django"
        rows.append((name, *rate(bare), f"{bare[0] / plain[0]:.2f}"))
    rows.append(
        (
            "home page, Procfile web process",
            *rate(wrk(f"http://127.0.0.1:{app_port}/", duration)),
            "",
        )
    )
    for name in ("shipped nginx, TLS", "shipped apache, TLS"):
        rows.append((f"home page, {name}", *rate(wrk(fronts[name][0] + "/", duration)), ""))
    return rows


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
