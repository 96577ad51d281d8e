"""Bake each media option once per session and give tests a way to run its commands."""

from pathlib import Path

import pytest

from projects import Project, install
from servers import IN_CI, require_tool
from sites import CHROMIUM_ARGS, development_site, production_site

TEMPLATE = Path(__file__).resolve().parent.parent
MEDIA_OPTIONS = ["local", "s3"]


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
