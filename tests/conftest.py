"""The fixture vocabulary of the template's tests; the support package does the work.

| fixture | what you get | made |
|---|---|---|
| `bake(**answers)` | a fresh bake, not installed | per test |
| `baked(option)`, `baked_project` | each option baked with its answers in support.options | once |
| `installed(option)`, `installed_project` | each option baked and installed (uv sync) | once |
| `workflow_runs(option)`, `workflow_run` | each installed option after its CI workflow ran | once |
| `development_stack` | `local` and `s3` under runserver with development settings | once |
| `production_stack(option, web_server)` | the web process behind nginx or Apache | once |
| `local_behind_nginx`, `s3_behind_nginx`, `local_behind_apache` | production stacks | once |
| `scaled_out` | `s3` on two app servers behind nginx, sharing PostgreSQL, Redis, a bucket | once |
| `browser`, `page` | Debian's Chromium through Playwright; a fresh page | once; per test |

"once": on first use in the session (in each parallel worker), then shared.

The suite runs in parallel (pyproject.toml: -n 4 --dist loadgroup): the tests of one media
option share a worker (pytest_collection_modifyitems), so its session fixtures are made once.

A test that needs a tool the suite installs gets it from support.tools; a missing one skips the
test with the install command, or fails it under CI=true.
"""

import itertools
from contextlib import ExitStack

import pytest

from support import browser as chromium
from support.options import OPTIONS
from support.project import bake
from support.scale_out import scaled_out_stack
from support.scratch import scratch_directory
from support.stacks import development_stack, production_stack
from support.tools import IN_CI, MissingTool


def pytest_configure(config):
    """Every temporary file of the run goes in one directory, removed when the run ends. The
    parallel workers use their parent's (xdist gives each its own base directory in it)."""
    if hasattr(config, "workerinput"):
        return
    scratch = config.stash[SCRATCH] = scratch_directory("template-tests-")
    directory = scratch.__enter__()
    if config.option.basetemp is None:
        config.option.basetemp = str(directory / "pytest")


def pytest_unconfigure(config):
    if SCRATCH in config.stash:
        config.stash[SCRATCH].__exit__(None, None, None)


SCRATCH = pytest.StashKey[object]()


# Fixtures that stand for one media option, and the option of each.
OPTION_FIXTURES = ("option", "baked_project", "installed_project", "workflow_run")
STACK_FIXTURES = {
    "local_behind_nginx": "local",
    "s3_behind_nginx": "s3",
    "local_behind_apache": "local",
    "scaled_out": "s3",
}


def option_of(item):
    marker = item.get_closest_marker("option")
    if marker:
        return marker.args[0]
    params = getattr(getattr(item, "callspec", None), "params", {})
    for name in (*OPTION_FIXTURES, "development_stack"):
        if params.get(name) in OPTIONS:
            return params[name]
    return next((STACK_FIXTURES[f] for f in item.fixturenames if f in STACK_FIXTURES), None)


def pytest_itemcollected(item):
    """Run in parallel (-n 4 --dist loadgroup), the tests of one media option share a worker,
    so each option is baked, installed, its workflow run and its stacks started once in the
    run. (Marked as each test is collected: xdist reads the groups before the conftest's
    pytest_collection_modifyitems runs.)"""
    option = option_of(item)
    if option:
        item.add_marker(pytest.mark.xdist_group(option))


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


def bake_option(directory, option):
    """A bake of option with its standard answers (support.options)."""
    return bake(directory, media_storage=option, **OPTIONS[option].answers)


def once_per_option(make):
    """make(option), called on an option's first use only; later uses get the same value.
    Session fixtures are kept this way rather than parametrized: a parametrized session fixture
    holds one value at a time, and is made again each time the option changes."""
    made = {}

    def get(option):
        if option not in made:
            made[option] = make(option)
        return made[option]

    return get


@pytest.fixture(scope="session")
def baked(tmp_path_factory):
    return once_per_option(
        lambda option: bake_option(tmp_path_factory.mktemp(f"baked-{option}"), option)
    )


@pytest.fixture(params=OPTIONS)
def baked_project(request, baked):
    return baked(request.param)


@pytest.fixture(scope="session")
def installed(tmp_path_factory):
    return once_per_option(
        lambda option: bake_option(tmp_path_factory.mktemp(f"installed-{option}"), option).install()
    )


@pytest.fixture(params=OPTIONS)
def installed_project(request, installed):
    return installed(request.param)


@pytest.fixture(scope="session")
def workflow_runs(installed, tmp_path_factory):
    """workflow_runs(option): the project's CI workflow, every `run:` step in order with the
    step's environment, run once on a fresh installed bake; the tests read each step's result."""
    from support.workflow import run_workflow

    def run(option):
        directory = tmp_path_factory.mktemp(f"workflow-{option}")
        result = run_workflow(installed(option), directory)
        # Its collectstatic step filled this: the production stacks serve it.
        installed(option).static_root = directory / "staticfiles"
        return result

    return once_per_option(run)


@pytest.fixture(params=OPTIONS)
def workflow_run(request, workflow_runs):
    return workflow_runs(request.param)


# Development settings are the same for every option; one bucket option shows that its SDK
# stays out of development.
DEVELOPMENT_OPTIONS = ["local", "s3"]


@pytest.fixture(scope="session")
def development_stacks(installed, tmp_path_factory):
    with ExitStack() as running:
        yield once_per_option(
            lambda option: running.enter_context(
                development_stack(installed(option), tmp_path_factory.mktemp(f"dev-{option}"))
            )
        )


@pytest.fixture(params=DEVELOPMENT_OPTIONS, name="development_stack")
def development_stack_fixture(request, development_stacks):
    return development_stacks(request.param)


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
def scaled_out(installed, tmp_path_factory):
    with scaled_out_stack(installed("s3"), tmp_path_factory.mktemp("scaled-out")) as stack:
        yield stack


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
