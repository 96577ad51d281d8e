"""Finish the baked project: keep the files of the chosen media storage, write .env, and
start a git repository.

Files that differ by storage option live whole under _media/<option>/, laid out like
the project itself; the chosen option's files move into place and the rest go. Its
_fragments/ were included into shared files while rendering (_media/README.md): they go too.
"""

import json
import secrets
import shutil
import subprocess
from pathlib import Path


def install_media_option(project, option):
    options = project / "_media"
    chosen = options / option
    # Included into shared files while rendering: not files of the project.
    shutil.rmtree(chosen / "_fragments", ignore_errors=True)
    for source in sorted(path for path in chosen.rglob("*") if path.is_file()):
        target = project / source.relative_to(chosen)
        target.parent.mkdir(parents=True, exist_ok=True)
        source.replace(target)
    shutil.rmtree(options)


def write_dev_env(project):
    # A fresh secret for development only; production sets its own (see .env.example).
    (project / ".env").write_text(
        "# Development settings only: this file is read by config/settings/dev.py and\n"
        "# never by production. It is not committed (.gitignore).\n"
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n",
        encoding="utf-8",
    )


def start_git_repository(project):
    """An empty repository, so `pre-commit install` works at once. Nothing is committed: the
    first commit, with the uv.lock that `uv sync` writes, is the developer's, under their name."""
    git = shutil.which("git")
    if git:
        subprocess.run([git, "init", "--quiet", "--initial-branch=main"], cwd=project, check=False)


def next_steps(project):
    """What to run now: the README's own commands (its first shell block), so the two never
    disagree, after the cd into the new project."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    commands = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [f"cd {project}", *commands.rstrip().splitlines()]
    return (
        "\nNext, in a shell (README.md has the same with pip):\n"
        + "".join(f"    {line}\n" for line in lines)
        + "then open http://127.0.0.1:8000/ and log in as admin.\n"
    )


def main(rendered=r"""{{ cookiecutter | jsonify }}""", project=None):
    answers = json.loads(rendered)
    project = Path.cwd() if project is None else project
    install_media_option(project, answers["media_storage"])
    write_dev_env(project)
    start_git_repository(project)
    print(next_steps(project))


if __name__ == "__main__":
    main()
