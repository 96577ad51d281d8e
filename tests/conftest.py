"""The fixture vocabulary of the template's tests; the support package does the work.

| fixture | what you get | scope |
|---|---|---|
| `bake(**answers)` | a fresh bake, not installed | per test |
| `baked_project` | each media option, baked with its standard answers, not installed | session |
| `installed_project` | each media option, baked and installed (uv sync) once | session |
| `installed(option)` | the installed project of one option (the same objects) | session |
| `workflow_run` | each installed option after its CI workflow's steps ran once | session |
| `development_stack` | each option under runserver with development settings | session |
| `production_stack(option, web_server)` | the web process behind nginx or Apache | session |
| `local_behind_nginx`, `s3_behind_nginx`, `local_behind_apache` | production stacks | session |
| `browser`, `page` | Debian's Chromium through Playwright; a fresh page | session, test |

A test that needs a tool the suite installs gets it from support.tools; a missing one skips the
test with the install command, or fails it under CI=true.
"""

import itertools
from contextlib import ExitStack

import pytest

from support import browser as chromium
from support.project import OPTIONS, bake
from support.scratch import scratch_directory
from support.stacks import development_stack, production_stack
from support.tools import IN_CI, MissingTool

# The answers each option is baked with. They double as a test of the answers: "Email" is a
# standard-library name that older versions refused (the project never imports its own
# name), the s3 answers hold every character a generated file must escape, and "3D Prints"
# starts with a digit.
ANSWERS = {
    "local": {"media_storage": "local", "project_name": "Email"},
    "s3": {
        "media_storage": "s3",
        "project_name": 'Café "Crème" \\ #1 {brace} 🎉 <b>&',
        "description": 'Uploads & "avatars" \\ # {x} — *not* <i>markup</i> ✓',
        "author_name": "Zoë O'Brien \\ {z} 🎨",
    },
    # A leading digit: the slug becomes site_3d_prints.
    "gcs": {"media_storage": "gcs", "project_name": "3D Prints"},
    "azure": {"media_storage": "azure", "project_name": "Blue Gallery", "domain_name": "blue.test"},
}


def pytest_configure(config):
    """Every temporary file of the run goes in one directory, removed when the run ends."""
    scratch = config.stash[SCRATCH] = scratch_directory("template-tests-")
    directory = scratch.__enter__()
    if config.option.basetemp is None:
        config.option.basetemp = str(directory / "pytest")


def pytest_unconfigure(config):
    if SCRATCH in config.stash:
        config.stash[SCRATCH].__exit__(None, None, None)


SCRATCH = pytest.StashKey[object]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A missing tool skips the test with the install command; under CI it fails it."""
    report = yield
    if call.excinfo is not None and call.excinfo.errisinstance(MissingTool) and not IN_CI:
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {call.excinfo.value}")
    return report


@pytest.fixture(name="bake")
def bake_fixture(tmp_path):
    """Bake with the given answers (defaults for the rest), each time into a new directory
    of this test's."""
    count = itertools.count()
    return lambda **answers: bake(tmp_path / f"bake-{next(count)}", **answers)


@pytest.fixture(scope="session", params=OPTIONS)
def baked_project(request, tmp_path_factory):
    option = request.param
    return bake(tmp_path_factory.mktemp(f"baked-{option}"), **ANSWERS[option])


@pytest.fixture(scope="session")
def installed(tmp_path_factory):
    projects = {}

    def get(option):
        if option not in projects:
            directory = tmp_path_factory.mktemp(f"installed-{option}")
            projects[option] = bake(directory, **ANSWERS[option]).install()
        return projects[option]

    return get


@pytest.fixture(scope="session", params=OPTIONS)
def installed_project(request, installed):
    return installed(request.param)


@pytest.fixture(scope="session", params=OPTIONS)
def workflow_run(request, installed, tmp_path_factory):
    """The project's CI workflow, every `run:` step in order with the step's environment, run
    once on a fresh installed bake; the tests read each step's result."""
    from support.workflow import run_workflow

    project = installed(request.param)
    return run_workflow(project, tmp_path_factory.mktemp(f"workflow-{request.param}"))


@pytest.fixture(scope="session", params=OPTIONS, name="development_stack")
def development_stack_fixture(request, installed, tmp_path_factory):
    directory = tmp_path_factory.mktemp(f"development-{request.param}")
    with development_stack(installed(request.param), directory) as stack:
        yield stack


@pytest.fixture(scope="session", name="production_stack")
def production_stack_fixture(installed, tmp_path_factory):
    """production_stack(option, web_server="nginx", cdn=False): started on first use, stopped
    when the session ends."""
    stacks, running = {}, ExitStack()

    def get(option, web_server="nginx", cdn=False):
        key = option, web_server, cdn
        if key not in stacks:
            name = f"production-{option}-{web_server}" + ("-cdn" if cdn else "")
            stack = production_stack(installed(option), tmp_path_factory.mktemp(name), *key[1:])
            stacks[key] = running.enter_context(stack)
        return stacks[key]

    with running:
        yield get


@pytest.fixture(scope="session")
def local_behind_nginx(production_stack):
    return production_stack("local")


@pytest.fixture(scope="session")
def s3_behind_nginx(production_stack):
    return production_stack("s3")


@pytest.fixture(scope="session")
def local_behind_apache(production_stack):
    return production_stack("local", "apache")


@pytest.fixture(scope="session")
def browser():
    with chromium.sync_playwright() as playwright:
        launched = chromium.launch(playwright)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
