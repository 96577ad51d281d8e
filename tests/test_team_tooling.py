"""What a team gets on day one besides the code: CI workflow, pre-commit, upgrades from the
template, container files, and a Makefile; each checked as far as this machine allows."""

import os
import subprocess

import pytest
import yaml

from support.project import TEMPLATE
from support.tools import debian_tool
from support.tools import python_tool as tool
from support.workflow import workflow

pytestmark = pytest.mark.slow


def test_the_ci_workflow_matches_github_actions_schema(baked_project):
    # check-jsonschema carries SchemaStore's workflow schema, so this works offline.
    # (actionlint's PyPI package downloads its binary at install time, which fails here.)
    result = subprocess.run(
        [
            tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            ".github/workflows/ci.yml",
        ],
        cwd=baked_project.path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_ci_workflow_installs_lints_tests_and_checks_and_each_step_passes(workflow_run):
    (job,) = workflow(workflow_run.project)["jobs"].values()
    names = [step["name"] for step in job["steps"] if "run" in step]

    assert names == [
        "Install",
        "Lint",
        "Test",
        "Migrations match the models",
        "Production settings pass the deploy checks",
    ]
    assert list(workflow_run.steps) == names
    for name in names:
        assert workflow_run.steps[name].returncode == 0, workflow_run.output(name)


def test_pre_commit_accepts_its_config_with_ruff_and_django_upgrade(baked_project):
    config = baked_project.path / ".pre-commit-config.yaml"
    hooks = {
        hook["id"] for repo in yaml.safe_load(config.read_text())["repos"] for hook in repo["hooks"]
    }

    result = subprocess.run(
        [tool("pre-commit"), "validate-config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert {"ruff-check", "ruff-format", "django-upgrade"} <= hooks


def test_cruft_creates_a_project_that_remembers_its_template(tmp_path):
    if not (TEMPLATE / ".git").exists():
        pytest.skip("cruft records a git commit: run from a clone of the template")
    result = subprocess.run(
        [tool("cruft"), "create", str(TEMPLATE), "--no-input", "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    record = (tmp_path / "my_project" / ".cruft.json").read_text()
    assert str(TEMPLATE) in record and '"media_storage": "local"' in record
    check = subprocess.run(
        [tool("cruft"), "check"],
        cwd=tmp_path / "my_project",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_hadolint_accepts_the_dockerfile(baked_project):
    result = subprocess.run(
        [tool("hadolint"), "--no-color", "Dockerfile"],
        cwd=baked_project.path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_dockerfile_builds_in_stages_runs_as_a_user_and_starts_the_procfile(baked_project):
    dockerfile = (baked_project.path / "Dockerfile").read_text()

    assert dockerfile.count("\nFROM ") + dockerfile.startswith("FROM ") >= 2
    assert "\nUSER 10001\n" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "sed -n 's/^web: //p' Procfile" in dockerfile
    assert ("VOLUME" in dockerfile) == (not baked_project.option.bucket)


def test_the_dockerfile_command_runs_the_procfile_line(baked_project, tmp_path):
    """The image's CMD, run by sh here, executes exactly the Procfile's web command."""
    cmd = next(
        line
        for line in (baked_project.path / "Dockerfile").read_text().splitlines()
        if line.startswith("CMD")
    )
    argv = yaml.safe_load(cmd.removeprefix("CMD "))
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    # A stand-in granian that prints what it was asked to run.
    (fake_bin / "granian").write_text('#!/bin/sh\necho "$@"\n')
    (fake_bin / "granian").chmod(0o755)
    env = {"PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}", "PORT": "8123"}

    on_a_platform, behind_nginx = (
        subprocess.run(
            argv, cwd=baked_project.path, env=variables, capture_output=True, text=True, timeout=30
        )
        for variables in (env, {**env, "WEB_HOST": "127.0.0.1"})
    )

    assert on_a_platform.returncode == 0, on_a_platform.stderr
    assert "--host 0.0.0.0 --port 8123" in on_a_platform.stdout  # where platforms route $PORT
    assert on_a_platform.stdout.strip().endswith("config.asgi:application")
    assert "--host 127.0.0.1 --port 8123" in behind_nginx.stdout


def test_compose_has_the_app_postgres_and_nginx_with_the_shipped_config(baked_project):
    compose = yaml.safe_load((baked_project.path / "compose.yaml").read_text())
    services = compose["services"]

    assert services["db"]["image"].startswith("postgres:")
    assert services["web"]["build"] == "."
    assert "@db:5432/" in services["web"]["environment"]["DATABASE_URL"]
    assert services["nginx"]["network_mode"] == "service:web"
    assert (
        "./deploy/nginx.conf:/etc/nginx/sites-enabled/site.conf:ro" in services["nginx"]["volumes"]
    )
    # The module deploy/nginx.conf's brotli_static needs, from Debian as the docs' servers have it.
    assert "libnginx-mod-http-brotli-static" in services["nginx"]["build"]["dockerfile_inline"]
    media = f"media:/srv/{baked_project.path.name}/media"
    assert (media in services["web"].get("volumes", [])) == (not baked_project.option.bucket)


def test_the_makefile_holds_the_everyday_commands_and_its_lint_passes(installed_project):
    make = debian_tool("make")
    targets = ["setup", "run", "test", "lint", "format", "deploy-check"]

    planned = installed_project.run(make, "--dry-run", *targets).stdout
    installed_project.run(make, "lint")  # the project's own tests run in the workflow

    for command in [
        "uv sync",
        "manage.py migrate",
        "manage.py runserver",
        "uv run pytest",
        "ruff check .",
        "ruff format --check .",
        "check --deploy --fail-level WARNING",
    ]:
        assert command in planned
