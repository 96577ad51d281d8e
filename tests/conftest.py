"""Bake each media option once per session and give tests a way to run its commands."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from servers import IN_CI, require_tool
from sites import CHROMIUM_ARGS, development_site, production_site

TEMPLATE = Path(__file__).resolve().parent.parent
MEDIA_OPTIONS = ["local", "s3"]


@dataclass
class Project:
    """A baked project, installed in its own virtual environment."""

    path: Path
    media_storage: str

    @property
    def python(self):
        return str(self.path / ".venv" / "bin" / "python")

    def bin(self, name):
        return str(self.path / ".venv" / "bin" / name)

    def env(self, **overrides):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
        env.pop("DATABASE_URL", None)
        env.pop("VIRTUAL_ENV", None)
        env["PATH"] = f"{self.path / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"
        env.update(overrides)
        return env

    def run(self, *command, env=None, timeout=300, check=True):
        """Run a command in the project directory; fail with its output if it fails."""
        result = subprocess.run(
            command,
            cwd=self.path,
            env=env or self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            pytest.fail(
                f"{' '.join(command)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
        return result

    def manage(self, *args, env=None, check=True):
        return self.run(self.python, "manage.py", *args, env=env, check=check)

    def prod_env(self, **overrides):
        """The environment production needs, with throwaway values and a media directory."""
        (self.path / "media").mkdir(exist_ok=True)
        values = {
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DJANGO_SECRET_KEY": "prod-secret-for-tests-only-" + "x" * 40,
            "DATABASE_URL": f"sqlite:///{self.path / 'prod.sqlite3'}",
            "DJANGO_STATIC_ROOT": str(self.path / "staticfiles"),
            "DJANGO_MEDIA_ROOT": str(self.path / "media"),
        }
        if self.media_storage == "s3":
            values.update(
                DJANGO_AWS_STORAGE_BUCKET_NAME="uploads",
                AWS_ACCESS_KEY_ID="testing",
                AWS_SECRET_ACCESS_KEY="testing",
            )
        values.update(overrides)
        return self.env(**values)


def install(path):
    """Install a baked project with uv, as its README says: uv sync."""
    subprocess.run(
        ["uv", "sync", "--quiet", "--python", sys.executable],
        cwd=path,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
        check=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def bake(cookies_session):
    """Bake a project from answers; returns pytest-cookies' result."""

    def bake(**answers):
        result = cookies_session.bake(extra_context=answers)
        assert result.exit_code == 0, result.exception
        return result

    return bake


@pytest.fixture(scope="session", params=MEDIA_OPTIONS)
def baked(request, bake):
    """A fresh bake of each media option, not installed."""
    return Project(bake(media_storage=request.param).project_path, request.param)


@pytest.fixture(scope="session")
def installed(bake):
    """The installed bake of a media option, made once per session."""
    projects = {}

    def get(media_storage):
        if media_storage not in projects:
            path = bake(media_storage=media_storage).project_path
            install(path)
            projects[media_storage] = Project(path, media_storage)
        return projects[media_storage]

    return get


@pytest.fixture(scope="session", params=MEDIA_OPTIONS)
def project(request, installed):
    """A bake of each media option, installed with its dependencies."""
    return installed(request.param)


@pytest.fixture(scope="session")
def local_project(installed):
    return installed("local")


# Running sites and the browser, shared by the end-to-end tests; each server is stopped by
# the fixture that started it.
@pytest.fixture(scope="session")
def browser():
    chromium = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        (pytest.fail if IN_CI else pytest.skip)(
            "playwright is not installed (pip install playwright)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session", params=MEDIA_OPTIONS)
def dev_site(request, installed, tmp_path_factory):
    with development_site(installed(request.param), tmp_path_factory.mktemp("dev")) as site:
        yield site


@pytest.fixture(scope="session")
def local_site(installed, tmp_path_factory):
    with production_site(installed("local"), tmp_path_factory.mktemp("local")) as site:
        yield site


@pytest.fixture(scope="session")
def s3_site(installed, tmp_path_factory):
    with production_site(installed("s3"), tmp_path_factory.mktemp("s3")) as site:
        yield site
