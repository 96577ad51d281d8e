"""Private files under load: the app's memory while clients download a large private file
through the shipped nginx (X-Accel-Redirect) and Apache (X-Sendfile) and from the Procfile
process alone (the app streams it); nginx's throughput for the private download against the
same file served publicly from /media/, taken in turn; and the app's memory while it stores a
large private upload. Memory is each worker's peak above its own idle size: the peak is reset
first (/proc/PID/clear_refs), so earlier work does not count."""

import secrets
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from types import SimpleNamespace

from ..processes import peak_above_idle
from ..visitor import PASSWORD, Visitor

MB = 1_000_000
HTTPS = "X-Forwarded-Proto: https"

SETUP = """
from private_files.models import PrivateFile
from users.models import User
user = User.objects.create_user({username!r}, password={password!r})
PrivateFile.objects.create(owner=user, file={name!r}, name="large.bin", size={size})
"""


def curl_downloads(url, clients, size, headers=()):
    """clients simultaneous downloads of url (size bytes each), thrown away; total MB/s."""
    command = ["curl", "-sk", "-o", "/dev/null", "--fail", "-w", "%{size_download}", url]
    for header in headers:
        command += ["-H", header]

    def one(_):
        done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
        assert int(done.stdout) == size, f"{url}: {done.stdout} bytes, not {size}"

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(clients)))
    return clients * size / MB / (time.perf_counter() - started)


def large_private_file(project, env, private_root, username, size):
    """A user (support.visitor's password) owning a private file "large.bin" of size bytes,
    sparse (zeros, as fast to read as any cached file); its path."""
    name = f"files/{secrets.token_hex(16)}"
    (private_root / "files").mkdir(parents=True, exist_ok=True)
    with open(private_root / name, "wb") as file:
        file.truncate(size)
    script = SETUP.format(username=username, password=PASSWORD, name=name, size=size)
    project.manage("shell", "-v0", "-c", script, env=env)
    return private_root / name


def private_rows(project, env, app, fronts, srv, megabytes, clients=4):
    """Rows of (what, MB above idle, MB/s), and nginx's private / public throughput."""
    size = megabytes * MB
    stored = large_private_file(project, env, srv / "private", "private-bench", size)
    (srv / "media" / "bench").mkdir(parents=True, exist_ok=True)
    (srv / "media" / "bench" / "large.bin").hardlink_to(stored)
    nginx, nginx_cert = fronts["shipped nginx, TLS"]
    visitor = Visitor(SimpleNamespace(base_url=nginx, certificates=nginx_cert))
    visitor.log_in("private-bench", PASSWORD)
    link = visitor.private_links()["large.bin"]
    cookie = f"Cookie: sessionid={visitor.session.cookies['sessionid']}"

    def download(base):
        return partial(curl_downloads, base + link, clients, size, (cookie, HTTPS))

    private = download(nginx)
    public = partial(curl_downloads, f"{nginx}/media/bench/large.bin", clients, size)
    grown, (private_rate, public_rate) = peak_above_idle(app, partial(in_turn, private, public))
    measured = [("nginx, X-Accel-Redirect", grown, private_rate)]
    for target, base in (
        ("Apache, X-Sendfile", fronts["shipped apache, TLS"][0]),
        ("Procfile process alone, the app streams", f"http://127.0.0.1:{app.port}"),
    ):
        measured.append((target, *peak_above_idle(app, download(base))))
    rows = [
        (f"{clients} × {megabytes} MB private download, {target}", grown, f"{rate:,.0f}")
        for target, grown, rate in measured
    ]
    rows.append(
        (f"{clients} × {megabytes} MB public download, nginx /media/", "", f"{public_rate:,.0f}")
    )
    upload = bytes(100 * MB)
    grown, answer = peak_above_idle(app, lambda: visitor.upload_private(upload, "upload.bin"))
    assert answer.status_code == 302, answer.status_code
    rows.append(("100 MB private upload through nginx", grown, ""))
    return rows, private_rate / public_rate


def in_turn(private, public, rounds=3):
    """Medians of MB/s of the private and the public download through nginx, taken in turn,
    so that neither gets the machine's quieter moments."""
    rates = [(private(), public()) for _ in range(rounds)]
    return statistics.median(p for p, _ in rates), statistics.median(p for _, p in rates)
