"""Real servers for tests: started on 127.0.0.1 and free ports, waited for with a bound,
stopped by the test that started them (by the process group of their own PID)."""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_tool(name, package=None):
    """The path of a program a test needs: skipped locally when missing, a failure in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (apt-get install {package or name})"
        if IN_CI:
            pytest.fail(message + "; CI must install it")
        pytest.skip(message)
    return path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A process listening on 127.0.0.1:port, its output kept in a log file."""

    def __init__(self, command, port, *, cwd, env, name):
        self.port, self.name = port, name
        self.log = Path(tempfile.mkdtemp(prefix=f"{name}-")) / "output.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_listening(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited {self.process.returncode}:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(
            f"{self.name} did not listen on 127.0.0.1:{self.port} within {timeout}s:\n"
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
def serve(command, port, *, cwd, env, name, timeout=30.0):
    server = Server(command, port, cwd=cwd, env=env, name=name)
    try:
        yield server.wait_until_listening(timeout)
    finally:
        server.stop()


def procfile_command(project_path, process="web"):
    """A Procfile process's command as a platform runs it, bound to loopback for tests."""
    for line in (project_path / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return ["sh", "-c", "exec " + replace_once(command.strip(), "0.0.0.0", "127.0.0.1")]
    raise LookupError(f"no {process} process in Procfile")


def replace_once(text, old, new, regex=False):
    """Replace exactly one occurrence, so a change to the file fails loudly here."""
    pattern = old if regex else re.escape(old)
    result, count = re.subn(pattern, new.replace("\\", "\\\\"), text)
    if count != 1:
        raise AssertionError(f"expected one {old!r}, found {count}")
    return result


def self_signed_certificate(directory, host="127.0.0.1"):
    """A throwaway certificate for host, made with openssl."""
    openssl = require_tool("openssl")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={host}", "-addext", f"subjectAltName=IP:{host}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def nginx_config(site, directory, *, http_port, https_port, app_port, media_parent=None):
    """The project's deploy/nginx.conf with only paths, ports and certificate adjusted,
    inside a minimal main config whose files all live in directory."""
    cert, key = self_signed_certificate(directory)
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)  # loopback only
    site = replace_once(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
    site = replace_once(site, "listen 443 ", f"listen 127.0.0.1:{https_port} ")
    site = replace_once(site, r"ssl_certificate \S+;", f"ssl_certificate {cert};", regex=True)
    site = replace_once(
        site, r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};", regex=True
    )
    site = replace_once(site, "127.0.0.1:8000;", f"127.0.0.1:{app_port};")
    if media_parent is not None:
        site = replace_once(site, r"root /srv/\S+;", f"root {media_parent};", regex=True)
    (directory / "site.conf").write_text(site)
    temp_paths = "".join(
        f"    {kind}_temp_path {directory / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Test directories are private to their owner, so workers run as that user.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = directory / "nginx.conf"
    main.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        # Each request with the upstream that answered it ("-": nginx itself).
        "    log_format served '$request_method $request_uri $status upstream=$upstream_addr';\n"
        f"    access_log {directory / 'access.log'} served;\n"
        f"{temp_paths}"
        f"    include {directory / 'site.conf'};\n"
        "}\n"
    )
    return main


def nginx_command(main_config):
    nginx = require_tool("nginx")
    return [nginx, "-p", str(main_config.parent), "-c", str(main_config)]
