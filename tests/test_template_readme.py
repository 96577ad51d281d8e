"""The template README's first command, pasted as a newcomer would, twice."""

import os
import re
import shutil
import tempfile

import pytest
import requests

from support.processes import free_port, serve
from support.project import TEMPLATE
from support.tools import DEBIAN_PATH

pytestmark = pytest.mark.slow

# What the copy of the template leaves out: what a clone does not have.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "__pycache__", "*.egg-info"
)


def first_command():
    readme = (TEMPLATE / "README.md").read_text(encoding="utf-8")
    (command,) = readme.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    return command


def log_in(base, password):
    session = requests.Session()
    session.trust_env = False
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": "admin", "password": password},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )


def test_the_first_command_reaches_a_site_to_log_in_to_and_can_be_run_twice(tmp_path):
    """Run as written from a copy of the template, with one substitution: runserver is told a
    free port and not to reload (so stopping it stops the server)."""
    clone = tmp_path / "clone"
    shutil.copytree(TEMPLATE, clone, ignore=NOT_IN_A_CLONE)
    command = first_command()
    assert command.endswith(" && python manage.py runserver")
    port = free_port()
    command = command.replace("runserver", f"runserver 127.0.0.1:{port} --noreload")
    # A newcomer's shell: the system's Python and pip, a home of its own; temporary files in
    # the run's scratch directory, where cookiecutter leaves its hook scripts.
    env = {"PATH": DEBIAN_PATH, "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    env["TMPDIR"] = os.environ.get("TMPDIR", tempfile.gettempdir())

    for run in ("first", "second"):
        log = tmp_path / f"{run}.log"
        with serve(["bash", "-c", command], port, cwd=clone, env=env, log=log, timeout=600):
            response = log_in(f"http://127.0.0.1:{port}", "change-me")
            assert response.status_code == 302, response.text
            assert response.headers["Location"] == "/profile/"
    assert "Superuser created successfully." in (tmp_path / "first.log").read_text()
    assert "admin exists already" in (tmp_path / "second.log").read_text()
