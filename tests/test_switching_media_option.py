"""A project made with local media switches to a bucket by the commands its docs give: the
switched project passes its own CI workflow, and the avatars moved by copy_media load from
the bucket."""

import json
import subprocess

import pytest
import requests

from support.images import png
from support.options import BUCKET_OPTIONS
from support.project import TEMPLATE, Project
from support.tools import python_tool
from support.workflow import run_workflow

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

UPLOAD = (
    "from django.core.files.base import ContentFile\n"
    "from users.models import User\n"
    "user = User.objects.create_user('mover')\n"
    "user.avatar.save('photo.png', ContentFile(bytes.fromhex({hex!r})))\n"
    "print(user.avatar.name)"
)


def switch_commands(project, option):
    """The shell block of docs/moving-media.md, as written, with the new storage's name (the
    docs show s3) the one substitution."""
    page = (project.path / "docs" / "moving-media.md").read_text(encoding="utf-8")
    block = page.split("   ```sh\n", 1)[1].split("   ```", 1)[0]
    lines = [line.strip() for line in block.splitlines()]
    assert '"media_storage": "s3"' in lines[0]
    return [line.replace('"s3"', json.dumps(option)) for line in lines]


def commit(project, message):
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"]
    project.run("git", "add", "-A")
    project.run(*git, "commit", "--quiet", "-m", message)


def cruft_project(directory):
    """A local-media project made with cruft create from this template, installed and
    committed, as its owner would have it."""
    if not (TEMPLATE / ".git").exists():
        pytest.skip("cruft records a git commit: run from a clone of the template")
    command = [python_tool("cruft"), "create", str(TEMPLATE), "--no-input"]
    subprocess.run([*command, "--output-dir", str(directory)], check=True, timeout=120)
    project = Project(directory / "my_project", "local").install()
    commit(project, "Made with the template")
    return project


@pytest.mark.parametrize("option", BUCKET_OPTIONS)
def test_a_local_project_switched_to_a_bucket_passes_its_ci_and_serves_the_moved_avatar(
    production_stack, option, tmp_path
):
    store = production_stack(option).store  # the option's running emulator
    project = cruft_project(tmp_path)
    site = tmp_path / "site"  # the server's database and MEDIA_ROOT
    env = project.prod_env(site)
    project.manage("migrate", "--noinput", env=env)
    upload = UPLOAD.format(hex=png((200, 30, 60)).hex())
    name = project.manage("shell", "-v0", "-c", upload, env=env).stdout.strip()
    on_disk = (site / "media" / name).read_bytes()

    for command in switch_commands(project, option):
        project.run("bash", "-e", "-c", command, timeout=600)
    commit(project, f"Media in {option}")
    project.media_storage = option
    workflow = run_workflow(project, tmp_path / "workflow")
    env = project.prod_env(site, **store.env)
    project.manage("copy_media", "disk", "default", env=env)
    url = project.manage(
        "shell",
        "-v0",
        "-c",
        "from users.models import User; print(User.objects.get().avatar.url)",
        env=env,
    ).stdout.strip()
    session = requests.Session()
    session.trust_env = False
    response = session.get(url, verify=str(store.certificate or True), timeout=30)

    answers = json.loads((project.path / ".cruft.json").read_text())["context"]["cookiecutter"]
    assert answers["media_storage"] == option
    assert not (project.path / ".env.rej").exists()
    for step, result in workflow.steps.items():
        assert result.returncode == 0, workflow.output(step)
    assert response.status_code == 200
    assert response.content == on_disk
