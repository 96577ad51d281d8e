"""The benchmark runs end to end; its figures are printed, never asserted."""

import re
import subprocess
import sys

import pytest

from support.project import TEMPLATE
from support.tools import debian_tool

pytestmark = pytest.mark.slow


def test_the_benchmark_runs_and_writes_its_tables_to_the_results_file(tmp_path):
    debian_tool("wrk")
    debian_tool("nginx")
    results = tmp_path / "results.md"
    command = [sys.executable, str(TEMPLATE / "bench" / "run"), "--duration", "1"]
    command += ["--upload-mb", "20", "--skip-suite", "--skip-newcomer", "--quick"]

    result = subprocess.run(
        [*command, "--results", str(results)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.endswith(results.read_text() + "\n")
    for row in (
        "static, bare nginx brotli_static",
        "static, shipped nginx, TLS",
        "static, shipped apache, TLS",
        "static, Procfile web process",
        "static, granian alone: a bare WSGI callable",
        "static, granian alone: a bare ASGI callable",
        "home page, shipped nginx, TLS",
    ):
        assert re.search(rf"^\| {row}[^|]* \| [\d,]+ \| [\d.]+ \| [\d.]+ \|", result.stdout, re.M)
    for row in ("shipped nginx, TLS", "shipped apache, TLS", "Procfile process alone, 1 worker"):
        assert re.search(
            rf"^\| {row} \| (\d+\.\d+ s|no answer in 10 s) \| (after|open)", result.stdout, re.M
        )
    assert re.search(r"^\| GET / answers 200 again after \| [\d.]+ s \|$", result.stdout, re.M)
    for target in ("nginx, X-Accel-Redirect", "Apache, X-Sendfile", "Procfile process alone"):
        assert re.search(
            rf"^\| 4 × 40 MB private download, {target}[^|]* \| \d+ \| [\d,]+ \|$",
            result.stdout,
            re.M,
        )
    assert re.search(r"^\| 100 MB private upload through nginx \| \d+ \|  \|$", result.stdout, re.M)
    for page in ("home page", "profile page, logged in"):
        assert re.search(
            rf"^\| {page} \| two \| [\d,]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$", result.stdout, re.M
        )
    assert re.search(
        r"^\| JPEG 4096×4096, baseline \| [\d,]+ \| \d+ \| [\d.]+ \|", result.stdout, re.M
    )
    assert re.search(r"^\| WebP quality 82 \(stored\) \| [\d.]+ \| [\d.]+ \|$", result.stdout, re.M)
    figures = ("request body", "local disk", "S3 (moto", "Google Cloud Storage (", "Azure Blob")
    assert re.search(r"^\| added by the throttle \| -?[\d.]+ \|$", result.stdout, re.M)
    for figure in (*figures, "Bake, median of 5"):
        assert re.search(
            rf"^\| [^|]*{re.escape(figure)}[^|]* \| \d+ (MB|ms) \|$", result.stdout, re.M
        )
