"""How long the everyday steps take: a bake, the template's suite, a newcomer's first run."""

import os
import sys
import time
import urllib.request

from ..processes import free_port, serve
from ..project import TEMPLATE, bake
from .servers import run


def timed_bake(directory, **answers):
    """Bake with cookiecutter's API, as the tests do; returns (project, seconds)."""
    started = time.perf_counter()
    project = bake(directory, **answers)
    return project, time.perf_counter() - started


def suite_seconds():
    started = time.perf_counter()
    run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=TEMPLATE, timeout=1800
    )
    return time.perf_counter() - started


def newcomer_seconds(work):
    """The README's first command from empty caches: venv, pip, bake, install, migrate, serve."""
    home = work / "newcomer"
    (home / "tmp").mkdir(parents=True)
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        # cookiecutter leaves its hook scripts in the temporary directory: this one goes
        # with work.
        "TMPDIR": str(home / "tmp"),
        "PIP_NO_CACHE_DIR": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "LANG": "C.UTF-8",
    }
    command = (
        f"python3 -m venv venv && . venv/bin/activate && pip install -q cookiecutter && "
        f"cookiecutter --no-input {TEMPLATE} && cd my_project && pip install -q -e . && "
        "python manage.py migrate -v0 && "
        f"exec python manage.py runserver 127.0.0.1:{port} --noreload"
    )
    started = time.perf_counter()
    log = work / "newcomer.log"
    with serve(["bash", "-c", command], port, cwd=home, env=env, log=log, timeout=900):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            assert response.status == 200
        return time.perf_counter() - started
