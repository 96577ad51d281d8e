"""The servers a benchmark drives and how: nginx at its best, wrk, and peak memory."""

import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from ..webservers import BROTLI_MODULE, nginx_command, nginx_main_config, self_signed_certificate

PACKAGES = {
    "nginx": "nginx",
    "wrk": "wrk",
    BROTLI_MODULE: "libnginx-mod-http-brotli-static",
    Path("/usr/lib/postgresql"): "postgresql",  # its programs are not on PATH
    "redis-server": "redis-server",
    "curl": "curl",
}
ASSET = re.compile(r"admin/css/base\.[0-9a-f]{12}\.css")


def ensure_tools():
    missing = [package for tool, package in PACKAGES.items() if not found(tool)]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"bench/run needs: apt-get install {' '.join(missing)}")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", *missing],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def found(tool):
    return tool.exists() if isinstance(tool, Path) else shutil.which(tool) is not None


def run(command, check=True, **kwargs):
    return subprocess.run(command, check=check, capture_output=True, text=True, **kwargs)


def nginx_static(work, static_root, port, *, tls=False):
    """nginx serving STATIC_ROOT as a web server at its best would: sendfile, brotli_static;
    the same main config as the shipped site's in the benchmark (workers, access log)."""
    directory = work / ("nginx-static-tls" if tls else "nginx-static")
    directory.mkdir()
    listen = f"127.0.0.1:{port}"
    if tls:
        cert, key = self_signed_certificate(directory)
        listen += f" ssl;\n    ssl_certificate {cert};\n    ssl_certificate_key {key}"
    main = nginx_main_config(
        directory,
        "  include /etc/nginx/mime.types;\n  sendfile on;\n"
        f"  access_log {directory / 'access.log'};\n"
        f"  server {{\n    listen {listen};\n"
        f"    location /static/ {{\n      alias {static_root}/;\n"
        "      brotli_static on;\n      gzip_static on;\n"
        '      add_header Cache-Control "max-age=315360000, public, immutable";\n'
        "    }\n  }\n",
        workers="auto",
    )
    return nginx_command(main)


def wrk(url, duration, headers=()):
    """req/s, p50 and p99 (ms) from wrk -t2 -c32 on loopback; headers are more "Name: value"."""
    headers = ("Accept-Encoding: br", "X-Forwarded-Proto: https", *headers)
    command = ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency"]
    command += [argument for header in headers for argument in ("-H", header)]
    output = run([*command, url], timeout=duration + 60).stdout
    if re.search(r"Non-2xx or 3xx responses", output):
        raise SystemExit(f"wrk got errors from {url}:\n{output}")

    def latency(percentile):
        value, unit = re.search(rf"{percentile}%\s+([\d.]+)(us|ms|s)\b", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate, latency(50), latency(99)


def table_row(target, measured, ratio):
    rate, p50, p99 = measured
    return (target, f"{rate:,.0f}", f"{p50:.2f}", f"{p99:.2f}", ratio)


def peak_rss_mb(pid):
    """Highest VmHWM among a process and its children, in MB."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    pids = [pid, *map(int, children)]
    peaks = []
    for each in pids:
        status = Path(f"/proc/{each}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) // 1024)
    return max(peaks)


def post_large_body(port, megabytes):
    """POST a multipart body of that size straight to the app, streamed. Over the app's own
    limit (MAX_REQUEST_BODY) it answers 413 before reading it and closes; under it, Django
    reads it all, the file into a temporary file, before refusing it (no CSRF token)."""
    boundary = "bench-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="avatar"; '
        f'filename="large.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    megabyte = bytes(1024 * 1024)

    def body():
        yield head
        for _ in range(megabytes):
            yield megabyte
        yield tail

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/accounts/login/",
        data=body(),
        method="POST",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + megabytes * len(megabyte) + len(tail)),
            "X-Forwarded-Proto": "https",
            # Same origin, with a CSRF cookie: the CSRF check then reads the whole form, looking
            # for the token it lacks, before refusing.
            "Origin": f"https://127.0.0.1:{port}",
            "Cookie": "csrftoken=" + "a" * 32,
        },
    )
    try:
        urllib.request.urlopen(request, timeout=600).close()
    except urllib.error.HTTPError as refused:
        assert refused.code in (403, 413), refused.code
    except urllib.error.URLError as closed:  # answered 413 and closed while we still sent
        assert isinstance(closed.reason, BrokenPipeError | ConnectionResetError), closed
