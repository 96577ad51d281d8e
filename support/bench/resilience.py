"""What could stop the site, measured: sixteen stalled request bodies, and a killed worker.
fronts are the running web servers of support.bench (name: (base URL, CA file))."""

import os
import signal
import time

import requests

from ..http import status_or_none
from ..processes import children, free_port, seconds_until, serve
from ..slow_clients import seconds_until_closed, stall

STALLED = 16


def under_stalled_bodies(port, home, *, tls, verify, wait):
    """Sixteen stalled login bodies on port, then GET home from another client: (how long that
    took, how long until the server had closed all sixteen), as table cells."""
    stalled = stall(port, STALLED, tls=tls)
    time.sleep(1)  # so all of them are inside the server before the next client comes
    started = time.monotonic()
    try:
        requests.get(home, headers={"X-Forwarded-Proto": "https"}, verify=verify, timeout=10)
        took = f"{time.monotonic() - started:.2f} s"
    except requests.RequestException:
        took = "no answer in 10 s"
    closed = seconds_until_closed(stalled, wait)
    return took, f"after {closed:.0f} s" if closed is not None else f"open after {wait} s"


def one_worker(project, env, work, name):
    """The Procfile's web process with one worker (of the default threads), as a small server
    runs it; a context manager for the running server."""
    port = free_port()
    env = {**env, "PORT": str(port), "WEB_CONCURRENCY": "1"}
    command = project.procfile_command()
    return serve(command, port, cwd=project.path, env=env, log=work / f"{name}.log")


def seconds_to_replace_a_killed_worker(server, bound=30):
    """kill -9 of the one worker; seconds until GET / answers 200 again (None past bound),
    and whether the server process still runs."""
    home = f"http://127.0.0.1:{server.port}/"
    (worker,) = children(server.process.pid)
    os.kill(worker, signal.SIGKILL)
    https = {"X-Forwarded-Proto": "https"}
    took = seconds_until(lambda: status_or_none(home, https) == 200, bound)
    return took, server.process.poll() is None


def resilience(report, project, env, work, fronts, *, quick):
    """Sixteen stalled bodies through each shipped web server and at the Procfile process
    alone (one worker), and a killed worker of that process."""
    wait = 5 if quick else 60
    rows = []
    for name in ("shipped nginx, TLS", "shipped apache, TLS"):
        base, ca = fronts[name]
        port = int(base.rpartition(":")[2])
        rows.append(
            (name, *under_stalled_bodies(port, base + "/", tls=True, verify=str(ca), wait=wait))
        )
    with one_worker(project, env, work, "stalled") as alone:
        home = f"http://127.0.0.1:{alone.port}/"
        rows.append(
            (
                "Procfile process alone, 1 worker",
                *under_stalled_bodies(alone.port, home, tls=False, verify=True, wait=wait),
            )
        )
    report.table(
        "Slow clients",
        ["In front", f"GET / with {STALLED} stalled bodies", "stalled connections closed"],
        rows,
        note="Each stalled client sends a login POST's headers (Content-Length: 100000) and 10 "
        "bytes of body, then nothing. The web servers' app is the Procfile process above.",
    )
    with one_worker(project, env, work, "killed") as alone:
        seconds, running = seconds_to_replace_a_killed_worker(alone)
    shown = f"{seconds:.1f} s" if seconds is not None else "not within 30 s"
    report.table(
        "A killed worker",
        ["Procfile process, 1 worker: kill -9 of the worker", "value"],
        [
            ("GET / answers 200 again after", shown),
            ("server process still running", "yes" if running else "no"),
        ],
    )
