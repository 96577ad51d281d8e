"""The template's own code (hooks, tests, support, bench, filters) is linted like the
project's."""

import subprocess

from support.project import TEMPLATE
from support.tools import python_tool


def run_ruff(*args):
    return subprocess.run(
        [python_tool("ruff"), *args, ".", "bench/run"],
        cwd=TEMPLATE,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_ruff_check_passes_on_the_templates_own_code():
    result = run_ruff("check")

    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_check_passes_on_the_templates_own_code():
    result = run_ruff("format", "--check")

    assert result.returncode == 0, result.stdout + result.stderr
