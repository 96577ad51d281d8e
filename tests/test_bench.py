"""The benchmark runs end to end; its figures are printed, never asserted."""

import re
import subprocess
import sys

import pytest

from support.project import TEMPLATE
from support.tools import debian_tool

pytestmark = pytest.mark.slow


def test_the_benchmark_runs_and_prints_its_tables():
    debian_tool("wrk")
    debian_tool("nginx")
    command = [sys.executable, str(TEMPLATE / "bench" / "run"), "--duration", "1"]
    command += ["--upload-mb", "20", "--skip-suite", "--skip-newcomer", "--quick"]

    result = subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600
    )

    assert result.returncode == 0, result.stderr[-3000:]
    for row in ("static, nginx brotli_static", "static, Procfile web process", "home page"):
        assert re.search(rf"^\| {row}[^|]* \| [\d,]+ \| [\d.]+ \| [\d.]+ \|", result.stdout, re.M)
    assert re.search(
        r"^\| JPEG 4096×4096, baseline \| [\d,]+ \| \d+ \| [\d.]+ \|", result.stdout, re.M
    )
    assert re.search(r"^\| WebP quality 82 \(stored\) \| [\d.]+ \| [\d.]+ \|$", result.stdout, re.M)
    figures = ("request body", "local disk", "S3 (moto", "Google Cloud Storage (", "Azure Blob")
    for figure in (*figures, "Bake, median of 5"):
        assert re.search(
            rf"^\| [^|]*{re.escape(figure)}[^|]* \| \d+ (MB|ms) \|$", result.stdout, re.M
        )
