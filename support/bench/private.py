"""Private files under load: the app's memory while clients download a large private file
through the shipped nginx (X-Accel-Redirect) and Apache (X-Sendfile) and from the Procfile
process alone (the app streams it); nginx's throughput for the private download against the
same file served publicly from /media/; and the app's memory while it stores a large private
upload. Memory is each worker's peak above its own idle size: the peak is reset first
(/proc/PID/clear_refs), so earlier work does not count."""

import re
import secrets
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from types import SimpleNamespace

from ..processes import children
from ..visitor import PASSWORD, Visitor

MB = 1_000_000

SETUP = """
from private_files.models import PrivateFile
from users.models import User
user = User.objects.create_user("private-bench", password={password!r})
PrivateFile.objects.create(owner=user, file={name!r}, name="large.bin", size={size})
"""


def workers(app):
    return children(app.process.pid)


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
    """MB the app's workers grew above idle, at most, while during() ran; and its result."""
    idle = reset_peaks(workers(app))
    result = during()
    grown = max(status_kb(pid, "VmHWM") - kb for pid, kb in idle.items())
    return round(grown / 1024), result


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


def private_rows(project, env, app, fronts, srv, megabytes, clients=4):
    """Rows of (what, MB above idle, MB/s)."""
    private, size = srv / "private", megabytes * MB
    name = f"files/{secrets.token_hex(16)}"
    (private / "files").mkdir(parents=True, exist_ok=True)
    with open(private / name, "wb") as file:
        file.truncate(size)  # sparse: the same bytes as any file to a reader
    public = srv / "media" / "bench"
    public.mkdir(parents=True, exist_ok=True)
    (public / "large.bin").hardlink_to(private / name)
    project.manage(
        "shell", "-v0", "-c", SETUP.format(password=PASSWORD, name=name, size=size), env=env
    )
    nginx, nginx_cert = fronts["shipped nginx, TLS"]
    visitor = Visitor(SimpleNamespace(base_url=nginx, certificates=nginx_cert))
    visitor.log_in("private-bench", PASSWORD)
    link = visitor.private_links()["large.bin"]
    cookie = f"Cookie: sessionid={visitor.session.cookies['sessionid']}"
    rows, rates = [], {}
    targets = {
        "nginx, X-Accel-Redirect": fronts["shipped nginx, TLS"][0],
        "Apache, X-Sendfile": fronts["shipped apache, TLS"][0],
        "Procfile process alone, the app streams": f"http://127.0.0.1:{app.port}",
    }
    headers = (cookie, "X-Forwarded-Proto: https")
    for target, base in targets.items():
        download = partial(curl_downloads, base + link, clients, size, headers)
        grown, rates[target] = peak_above_idle(app, download)
        what = f"{clients} × {megabytes} MB private download, {target}"
        rows.append((what, grown, f"{rates[target]:,.0f}"))
    public = curl_downloads(f"{nginx}/media/bench/large.bin", clients, size)
    rows.append(
        (f"{clients} × {megabytes} MB public download, nginx /media/", "", f"{public:,.0f}")
    )
    upload = bytes(100 * MB)
    grown, answer = peak_above_idle(app, lambda: visitor.upload_private(upload, "upload.bin"))
    assert answer.status_code == 302, answer.status_code
    rows.append(("100 MB private upload through nginx", grown, ""))
    return rows, rates["nginx, X-Accel-Redirect"] / public
