"""The Procfile's own command serving support/bench/ceiling_app.py instead of the project:
granian's throughput for a static answer with no Django and no front in it."""

import json
from contextlib import contextmanager
from pathlib import Path

from ..processes import free_port, serve
from .servers import wrk

APP = "config.asgi:application"
INTERFACE = "--interface asgi"
# Not the application's: granian adds these, or echoes the client's (a fetch says close).
SERVER_HEADERS = {"connection", "date", "server"}


def ceiling_rows(project, env, work, url_path, asset, shown, duration):
    """(interface, wrk figures) of the bare callable under each interface; shown: the
    project's own answer's headers (lowercase), which the callable repeats."""
    body = asset.with_name(asset.name + ".br")
    if shown.get("content-length") != str(body.stat().st_size):
        raise SystemExit(f"the project did not answer {url_path} with its .br file: {shown}")
    headers = [(name, value) for name, value in shown.items() if name not in SERVER_HEADERS]
    rows = []
    for interface in ("wsgi", "asgi"):
        with bare(project, env, work, interface, body, headers) as port:
            url = f"http://127.0.0.1:{port}{url_path}"
            wrk(url, 1)  # granian starts WSGI threads as connections come
            rows.append((interface, wrk(url, duration)))
    return rows


@contextmanager
def bare(project, env, work, interface, body, headers):
    shell, flag, command = project.procfile_command()
    if command.count(APP) != 1 or command.count(INTERFACE) != 1:
        raise SystemExit(f"the Procfile no longer runs {INTERFACE} {APP}: {command}")
    command = command.replace(APP, f"ceiling_app:{interface}")
    command = command.replace(INTERFACE, f"--interface {interface}")
    port = free_port()
    ceiling_env = {
        **env,
        "PORT": str(port),
        "PYTHONPATH": str(Path(__file__).parent),
        "CEILING_BODY": str(body),
        "CEILING_HEADERS": json.dumps(headers),
    }
    log = work / f"ceiling-{interface}.log"
    with serve([shell, flag, command], port, cwd=work, env=ceiling_env, log=log):
        yield port
