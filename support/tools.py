"""Programs the suite runs: Debian's, and those installed beside the test Python.

Only the tools the suite installs are used: Debian's packages from the system directories
(tests/run installs them), Python tools from the test virtual environment. A tool on PATH
that something else put there is never picked up.
"""

import os
import shutil
import sys
from pathlib import Path

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEBIAN_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"


class MissingTool(Exception):
    """A program the suite needs is not installed; the message says how to install it."""


def debian_tool(name, package=None):
    """The path of a program from a Debian package."""
    path = shutil.which(name, path=DEBIAN_PATH)
    if path is None:
        raise MissingTool(f"{name} is not installed: apt-get install {package or name}")
    return path


def python_tool(name):
    """The path of a program installed with the test group, beside the running Python."""
    path = Path(sys.executable).with_name(name)
    if not path.exists():
        raise MissingTool(f"{name} is not installed: pip install -e . --group test")
    return str(path)


def node_tool(name):
    """The path of a program from this repository's package.json (tests/run: npm ci)."""
    path = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / name
    if not path.exists():
        raise MissingTool(f"{name} is not installed: npm ci (in the template's directory)")
    return str(path)
