"""The web process keeps serving what would stop it: a crashed worker, clients that stall,
downloads cut off.

Run as a platform runs the Procfile's line and as deploy/web.service runs it (that line too),
with one worker, as a small server would."""

import os
import signal
import time
from pathlib import Path

import pytest
import requests

from support.bench.private import large_private_file
from support.http import status_or_none
from support.processes import children, free_port, seconds_until, serve
from support.slow_clients import open_connection, seconds_until_closed, stall
from support.stacks import web_process
from support.visitor import Visitor

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

HTTPS = {"X-Forwarded-Proto": "https"}  # as the web server in front says


def started_as(runner, project, directory):
    """(command, environment, port) of the web process, as runner starts it."""
    port = free_port()
    command, env = web_process(project, directory, port, directory / "media", storage={})
    if runner == "Procfile":
        command = project.procfile_command()
    return command, env, port


def status_of_home(port):
    return status_or_none(f"http://127.0.0.1:{port}/", HTTPS)  # None: no worker answers yet


@pytest.mark.option("local")
@pytest.mark.parametrize("runner", ["Procfile", "deploy/web.service"])
def test_a_killed_worker_is_replaced_and_the_server_keeps_serving(installed, runner, tmp_path):
    project = installed("local")
    command, env, port = started_as(runner, project, tmp_path)
    with serve(command, port, cwd=project.path, env=env, log=tmp_path / "web.log") as server:
        assert status_of_home(port) == 200
        (worker,) = children(server.process.pid)

        os.kill(worker, signal.SIGKILL)
        took = seconds_until(lambda: status_of_home(port) == 200, 10)  # the bound

        assert took is not None, server.output()
        assert server.process.poll() is None
        assert children(server.process.pid) not in ([], [worker])


@pytest.mark.option("local")
@pytest.mark.parametrize("runner", ["Procfile", "deploy/web.service"])
def test_alone_stalled_bodies_neither_delay_others_nor_stay_open(installed, runner, tmp_path):
    """Sixteen stalled login bodies at the web process itself, as a platform routes them, with
    one worker of the default threads: bodies are read before Django takes a thread, and a
    client that stops sending is cut off by the process."""
    project = installed("local")
    command, env, port = started_as(runner, project, tmp_path)
    with serve(command, port, cwd=project.path, env=env, log=tmp_path / "web.log") as server:
        stalled = stall(port, 16)
        time.sleep(1)  # so all sixteen are inside the process before the next client comes
        took, home, closed_after = home_under(stalled, f"http://127.0.0.1:{port}/", HTTPS)

        assert home.status_code == 200, server.output()
    assert took < 1, f"GET / took {took:.1f} s"
    assert closed_after is not None, "a stalled connection was still open after 60 s"


@pytest.mark.option("local")
@pytest.mark.parametrize("web_server", ["nginx", "apache"])
def test_behind_the_web_server_stalled_bodies_neither_delay_others_nor_stay_open(
    production_stack, web_server
):
    """Sixteen stalled login bodies through the shipped site, in front of one web worker of
    four threads (the test stacks' WEB_CONCURRENCY=1): the web server holds them, not the app,
    and closes them itself."""
    stack = production_stack("local", web_server)
    port = int(stack.base_url.rpartition(":")[2])
    stalled = stall(port, 16, tls=True)
    verify = str(stack.certificates)
    took, home, closed_after = home_under(stalled, stack.base_url + "/", verify=verify)

    assert home.status_code == 200
    assert took < 1, f"GET / took {took:.1f} s"
    assert closed_after is not None, "a stalled connection was still open after 60 s"


@pytest.mark.option("local")
def test_alone_a_download_cut_off_by_its_client_is_read_no_further(local_behind_nginx):
    """A private file the process sends itself (no web server in front to send it): once the
    client has gone, the rest is neither read nor sent (granian's send does not fail then)."""
    stack = local_behind_nginx
    private_root = stack.media_root.parent / "private"
    size = 100_000_000
    large_private_file(stack.project, stack.env, private_root, "cut-off", size)
    visitor = Visitor(stack)
    visitor.log_in("cut-off")
    link, session = visitor.private_links()["large.bin"], visitor.session.cookies["sessionid"]
    (worker,) = children(stack.app.process.pid)

    before = bytes_read(worker)
    for _ in range(2):
        cut_off_download(stack.app.port, link, session, after=1_000_000)
    time.sleep(2)  # what the worker would still read, it reads at disk-cache speed
    read = bytes_read(worker) - before

    assert read < 20_000_000, f"the worker read {read:,} bytes for two 1 MB downloads"
    assert status_of_home(stack.app.port) == 200


def cut_off_download(port, path, session, after):
    """GET path, then close the connection once after bytes have come."""
    with open_connection(port, tls=False) as client:
        client.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
            f"Cookie: sessionid={session}\r\n\r\n".encode()
        )
        received, data = 0, b"?"
        while received < after and data:
            data = client.recv(65536)
            received += len(data)
    assert received >= after, f"the server closed the download after {received:,} bytes"


def bytes_read(pid):
    """What the process has read by read() and pread(), files and sockets alike (rchar)."""
    fields = dict(line.split(": ") for line in Path(f"/proc/{pid}/io").read_text().splitlines())
    return int(fields["rchar"])


def home_under(stalled, url, headers=None, verify=True):
    """GET url from another client while the stalled connections wait: (seconds it took, the
    response, seconds until the server had closed every stalled one, or None after 60 s)."""
    try:
        started = time.monotonic()
        home = requests.get(url, headers=headers, verify=verify, timeout=10)
        took = time.monotonic() - started
    finally:
        closed_after = seconds_until_closed(stalled, timeout=60)  # the bounds the issue sets
    return took, home, closed_after
