"""A baked, installed project: lint, its own tests, migrations, deploy checks, static files,
and its servers. The expensive steps run once per option, in the project's own CI workflow
(the workflow_run fixture), and each test here reads the step it is about."""

import os
import re
import sys
from pathlib import Path

import pytest

from support.http import fetch
from support.processes import free_port, serve
from support.project import ADMIN, HASHED_CSS, PASSWORD
from support.tools import DEBIAN_PATH
from support.webservers import apache_command, apache_config, nginx_command, nginx_config

pytestmark = pytest.mark.slow


def step(workflow_run, name):
    """The result of one workflow step, which must have passed."""
    assert name in workflow_run.steps, f"the workflow stopped before {name!r}"
    result = workflow_run.steps[name]
    assert result.returncode == 0, workflow_run.output(name)
    return result


def test_ruff_finds_nothing_to_fix(workflow_run):
    result = step(workflow_run, "Lint")

    assert "All checks passed!" in result.stdout
    assert "already formatted" in result.stdout


def test_the_projects_own_test_suite_passes(workflow_run):
    result = step(workflow_run, "Test")

    assert re.search(r"\b\d+ passed\b", result.stdout)
    assert not re.search(r"\b\d+ (failed|errors?|skipped)\b", result.stdout), result.stdout


def test_migrations_match_the_models(workflow_run):
    assert "No changes detected" in step(workflow_run, "Migrations match the models").stdout


def test_production_settings_pass_the_deploy_check(workflow_run):
    result = step(workflow_run, "Production settings pass the deploy checks")

    assert "System check identified no issues" in result.stdout


def test_collectstatic_writes_hashed_files_with_brotli_and_gzip_siblings(workflow_run):
    step(workflow_run, "Production settings pass the deploy checks")
    static_root = workflow_run.directory / "staticfiles"

    hashed = [
        p for p in (static_root / "css").iterdir() if HASHED_CSS.fullmatch("/static/css/" + p.name)
    ]
    assert [p.suffix for p in hashed] == [".css"]
    assert hashed[0].with_name(hashed[0].name + ".br").is_file()
    assert hashed[0].with_name(hashed[0].name + ".gz").is_file()
    assert (static_root / "staticfiles.json").is_file()
    assert not (static_root / "avatars").exists()


def test_production_media_storage_matches_the_answer(installed_project, tmp_path):
    script = (
        "import sys, django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "from django.utils.module_loading import import_string\n"
        "s = storages['default']\n"
        "overwrite = getattr(s, 'file_overwrite', getattr(s, 'overwrite_files', None))\n"
        "print(type(s) is import_string(sys.argv[1]), overwrite)"
    )
    option = installed_project.option
    env = installed_project.prod_env(tmp_path)

    result = installed_project.run(installed_project.python, "-c", script, option.backend, env=env)

    # A bucket never replaces a file by another of the same name; a disk has no such setting.
    assert result.stdout.split() == ["True", "False" if option.bucket else "None"]


def test_the_development_server_runs_with_no_environment(development_stack):
    page = fetch(development_stack.base_url + "/")
    css = re.search(rb'href="(/static/css/site\.css)"', page.body).group(1).decode()
    style = fetch(development_stack.base_url + css)

    assert page.status == 200
    assert style.status == 200
    assert style.headers["content-type"].startswith("text/css")
    assert "Warning" not in development_stack.app.output()  # e.g. "No directory at: …"


def test_the_development_server_serves_static_files_as_edited_even_after_collectstatic(
    bake, tmp_path
):
    project = bake(project_name="Edited Styles").install()
    env = project.env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    project.manage("migrate", "--noinput", env=env)
    project.manage("collectstatic", "--noinput", env=env)  # as CI or a deploy rehearsal does
    stylesheet = project.path / "static" / "css" / "site.css"
    stylesheet.write_text(stylesheet.read_text() + "\n/* edited after collectstatic */\n")
    port = free_port()
    command = [project.python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]

    with serve(command, port, cwd=project.path, env=env, log=tmp_path / "runserver.log") as app:
        style = fetch(f"http://127.0.0.1:{port}/static/css/site.css")

    assert style.status == 200
    assert b"/* edited after collectstatic */" in style.body
    assert "Warning" not in app.output()


def test_createsuperuser_works_without_prompts(development_stack):
    check = (
        "from django.contrib.auth import authenticate;"
        "from django.test import RequestFactory;"
        # As a login form asks, with its request: the login throttle reads its address.
        f"u = authenticate(RequestFactory().post('/'), username={ADMIN!r}, password={PASSWORD!r});"
        "print(u.is_superuser, u.email)"
    )
    project = development_stack.project

    result = project.manage("shell", "--verbosity", "0", "-c", check, env=development_stack.env)

    assert result.stdout.split() == ["True", "admin@example.com"]


@pytest.mark.parametrize("option", ["local", "s3"])
def test_the_procfile_web_process_serves_pages_and_hashed_static_files(production_stack, option):
    app = production_stack(option).app_url
    https = {"X-Forwarded-Proto": "https"}

    plain = fetch(app + "/")
    page = fetch(app + "/", https)
    css = HASHED_CSS.search(page.body.decode()).group(0)
    style = fetch(app + css, {**https, "Accept-Encoding": "br"})

    assert plain.status == 301
    assert plain.headers["location"] == f"https://{app.removeprefix('http://')}/"
    assert page.status == 200
    assert style.status == 200
    assert "immutable" in style.headers["cache-control"]
    assert style.headers["content-encoding"] == "br"


def comparable(response):
    """status, headers (but Date) and body of a response."""
    headers = {name: value for name, value in response.headers.items() if name != "date"}
    return response.status, headers, response.body


@pytest.mark.parametrize("option", ["local", "s3"])
def test_the_web_process_answers_as_whitenoise_middleware_would(production_stack, option):
    """config/asgi.py puts the static front before Django for speed; the responses must be
    those of the middleware path (plain get_wsgi_application()), headers included."""
    stack = production_stack(option)
    project, port = stack.project, free_port()
    plain_django = [
        project.bin("granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--factory",
        "django.core.wsgi:get_wsgi_application",
    ]
    https_only = {"X-Forwarded-Proto": "https"}
    browser = {**https_only, "Accept-Encoding": "br, gzip"}
    log = stack.directory / "plain-django.log"

    with serve(plain_django, port, cwd=project.path, env=stack.env, log=log):
        plain = f"http://127.0.0.1:{port}"
        css = HASHED_CSS.search(fetch(plain + "/", browser).body.decode()).group(0)
        paths = ["/", css, "/static/css/site.css", "/static/missing.css", "/missing/", "/profile/"]
        # Over HTTPS, as nginx passes every request (plain HTTP never reaches the app).
        for path in paths:
            for headers in (browser, {**browser, "Accept-Encoding": "gzip"}, https_only):
                fast = comparable(fetch(stack.app_url + path, headers))
                assert fast == comparable(fetch(plain + path, headers)), (path, headers)
    style = fetch(stack.app_url + css, browser)
    assert "immutable" in style.headers["cache-control"]
    assert style.headers["content-encoding"] == "br"


def test_nginx_accepts_the_shipped_config(baked_project, tmp_path):
    ports = {"http_port": free_port(), "https_port": free_port(), "app_port": free_port()}
    main = nginx_config(baked_project, tmp_path, **ports)

    result = baked_project.run(*nginx_command(main), "-t")

    assert "test is successful" in result.stderr


def test_apache_accepts_the_shipped_config(baked_project, tmp_path):
    ports = {"http_port": free_port(), "https_port": free_port(), "app_port": free_port()}
    main = apache_config(baked_project, tmp_path, **ports)

    result = baked_project.run(*apache_command(main), "-t")

    assert "Syntax OK" in result.stderr


def readme_block(project, heading_words):
    """The shell lines of the README's code block that follows the line with heading_words."""
    readme = (project.path / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index(heading_words) :]
    return after.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()


@pytest.mark.parametrize("path", ["uv", "pip"])
def test_the_readme_run_commands_work_as_written(bake, path):
    """Each line of the README's block for uv or pip, in a fresh bake, as a newcomer pastes
    them (the development server started is the one thing left out); then make's lint target,
    and for pip, which runs make with RUN=, its test target (uv's runs in the CI workflow)."""
    project = bake()
    heading = "With [uv]" if path == "uv" else "With pip"
    lines = [line for line in readme_block(project, heading) if "runserver" not in line]
    # make test runs one file of the suite here: the whole of it runs in the CI workflow.
    make = ["make lint"] if path == "uv" else ["make test RUN=", "make lint RUN="]
    script = "\n".join([*lines, *make])
    env = project.env(
        PATH=f"{Path(sys.executable).parent}:{DEBIAN_PATH}",
        PYTEST_ADDOPTS="tests/test_settings.py",
    )

    result = project.run("bash", "-e", "-c", script, env=env, timeout=900)

    if path == "pip":
        assert re.search(r"\b\d+ passed\b", result.stdout)
    assert "Superuser created successfully." in result.stdout
    assert "All checks passed!" in result.stdout
    assert ("uv.lock" in os.listdir(project.path)) == (path == "uv")
