"""Servers for tests and benchmarks: on 127.0.0.1 and a free port, waited for with a bound,
stopped by whoever started them (the process group of their own PID), output in a log file
inside the caller's directory."""

import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path


class ServerFailed(Exception):
    """A server exited or did not listen in time; the message holds its output."""


def _own_ports():
    """This process's share of the ports below the kernel's ephemeral range (32768 up): one
    block per test worker, its second half for the commands a test starts. A port the kernel
    hands out for bind(0) may be handed to another worker before the server that was meant to
    take it binds (a rehearsal takes a minute), and a server of theirs that answers there
    looks like ours."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw8")
    start = 20000 + int(worker.removeprefix("gw")) % 9 * 1000
    if "pytest" not in sys.modules:
        start += 500
    return itertools.cycle(range(start, start + 500))


_PORTS = _own_ports()


def free_port():
    """A port of this process's own that nothing is bound to now."""
    for _ in range(500):
        port = next(_PORTS)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise ServerFailed("every port of this process's block is taken")


def listening(port):
    """Whether something accepts connections on 127.0.0.1:port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def seconds_until(condition, bound, interval=0.1):
    """Seconds until condition() holds, asked every interval; None if it has not after bound."""
    started = time.monotonic()
    while time.monotonic() - started < bound:
        if condition():
            return time.monotonic() - started
        time.sleep(interval)
    return None


class Server:
    """A process listening on 127.0.0.1:port; its output goes to log."""

    def __init__(self, command, port, *, cwd, env, log):
        self.port, self.log = port, Path(log)
        self.name = self.log.stem
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_listening(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(
                    f"{self.name} exited {self.process.returncode}:\n{self.output()}"
                )
            if listening(self.port):
                return self
            time.sleep(0.05)
        self.stop()
        raise ServerFailed(
            f"{self.name} did not listen on 127.0.0.1:{self.port} within {timeout} s:\n"
            f"{self.output()}"
        )

    def output(self):
        return self.log.read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@contextmanager
def serve(command, port, *, cwd, env, log, timeout=30.0):
    """Start a server, wait until it listens, and stop it on leaving the block."""
    server = Server(command, port, cwd=cwd, env=env, log=log)
    try:
        yield server.wait_until_listening(timeout)
    finally:
        server.stop()


def children(pid):
    """The process IDs of pid's children (Linux's /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def reset_peaks(pids):
    """Each process's peak resident size reset to its size now; returns those sizes (kB)."""
    sizes = {}
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        sizes[pid] = status_kb(pid, "VmRSS")
    return sizes


def status_kb(pid, field):
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", text).group(1))


def peak_above_idle(app, during):
    """MB the app's workers (a Server's children) grew above their idle size, at most, while
    during() ran; and its result. Their peaks are reset first, so earlier work does not count."""
    idle = reset_peaks(children(app.process.pid))
    result = during()
    grown = max(status_kb(pid, "VmHWM") - kb for pid, kb in idle.items())
    return round(grown / 1024), result
