"""A baked project: bake it, install it in its own virtual environment, run its commands."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .options import OPTIONS
from .tools import python_tool

TEMPLATE = Path(__file__).resolve().parent.parent
ADMIN, PASSWORD = "admin", "a-long-admin-password"
# The hashed style sheet a production page links to: css/site.<12 hex digits>.css.
HASHED_CSS = re.compile(r"/static/css/site\.[0-9a-f]{12}\.css")


class CommandFailed(Exception):
    """A project command exited non-zero; the message holds what it printed."""


def bake(output_dir, **answers):
    """Bake the template with cookiecutter's API and no prompts; returns the Project."""
    from cookiecutter.main import cookiecutter

    path = cookiecutter(
        str(TEMPLATE), no_input=True, output_dir=str(output_dir), extra_context=answers
    )
    return Project(Path(path), answers.get("media_storage", next(iter(OPTIONS))))


@dataclass
class Project:
    """A baked project on disk, and how to run commands in its virtual environment."""

    path: Path
    media_storage: str
    static_root: Path | None = None  # collected already, by the project's CI workflow

    @property
    def option(self):
        """Its media option (support.options)."""
        return OPTIONS[self.media_storage]

    @property
    def python(self):
        return self.bin("python")

    def bin(self, name):
        return str(self.path / ".venv" / "bin" / name)

    @property
    def installed(self):
        return Path(self.python).exists()

    def install(self):
        """uv sync, as the project's README says; uv from the test environment."""
        self.run(python_tool("uv"), "sync", "--quiet", "--python", sys.executable, timeout=600)
        return self

    def env(self, **overrides):
        """The environment of a shell in the project: nothing of the caller's settings."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "AWS_", "UV_", "GOOGLE_", "AZURE_"))
            and key
            not in {
                "DATABASE_URL",
                "VIRTUAL_ENV",
                "PORT",
                "STORAGE_EMULATOR_HOST",
                "API_ENDPOINT_OVERRIDE",
            }
        }
        # The project's own tools first, then the test tools (uv among them).
        env["PATH"] = os.pathsep.join(
            [str(self.path / ".venv" / "bin"), str(Path(sys.executable).parent), env["PATH"]]
        )
        # uv trusts the system's certificate store, as pip does, and never downloads Python.
        env.update(UV_SYSTEM_CERTS="1", UV_PYTHON_DOWNLOADS="never")
        env.update(overrides)
        return env

    def prod_env(self, directory, **overrides):
        """Production settings with throwaway secrets, and every file under directory."""
        directory = Path(directory)
        (directory / "media").mkdir(parents=True, exist_ok=True)
        (directory / "private").mkdir(exist_ok=True)
        values = {
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DJANGO_SECRET_KEY": "prod-secret-for-tests-only-" + "x" * 40,
            "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
            "DJANGO_STATIC_ROOT": str(directory / "staticfiles"),
            "DJANGO_MEDIA_ROOT": str(directory / "media"),
            "DJANGO_PRIVATE_ROOT": str(directory / "private"),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Servers in tests listen on loopback only.
            "WEB_HOST": "127.0.0.1",
        }
        values.update(self.option.settings)
        return self.env(**{**values, **overrides})

    def collected_static(self):
        """STATIC_ROOT after collectstatic with production settings, once for the project:
        the files are the same for every stack of it, and compressing them takes seconds. A
        directory the project's CI workflow filled (self.static_root) serves as well."""
        static_root = self.static_root or self.path.parent / "staticfiles"
        if not (static_root / "staticfiles.json").exists():
            directory = self.path.parent / "collectstatic"
            env = self.prod_env(directory, DJANGO_STATIC_ROOT=str(static_root))
            self.manage("collectstatic", "--noinput", env=env)
        return static_root

    def run(self, *command, env=None, timeout=300, check=True):
        """Run a command in the project directory; CommandFailed with its output if it fails."""
        result = subprocess.run(
            command,
            cwd=self.path,
            env=env or self.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise CommandFailed(
                f"{' '.join(map(str, command))} exited {result.returncode}\n"
                f"{result.stdout[-5000:]}\n{result.stderr[-5000:]}"
            )
        return result

    def manage(self, *args, env=None, check=True):
        return self.run(self.python, "manage.py", *args, env=env, check=check)

    def create_database(self, env):
        """The SQLite database env's DATABASE_URL names, migrated, with the superuser the
        end-to-end tests log in as. Made once for the project, then copied."""
        database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
        made = self.path.parent / "migrated.sqlite3"
        if not made.exists():
            env = {**env, "DATABASE_URL": f"sqlite:///{made}"}
            self.manage("migrate", "--noinput", env=env)
            self.manage("createcachetable", env=env)
            superuser = {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
            user = ["--username", ADMIN, "--email", "admin@example.com"]
            self.manage("createsuperuser", "--noinput", *user, env=superuser)
        shutil.copyfile(made, database)

    def procfile_command(self, process="web"):
        """A Procfile process's command as a platform runs it: by a shell, for its ${...}."""
        for line in (self.path / "Procfile").read_text().splitlines():
            name, _, command = line.partition(":")
            if name.strip() == process:
                return ["sh", "-c", "exec " + command.strip()]
        raise LookupError(f"no {process} process in Procfile")

    def service(self):
        """deploy/web.service as systemd would run it here: (command, environment). Only the
        paths change: the project's directory and virtual environment."""
        settings = {}
        for line in (self.path / "deploy" / "web.service").read_text().splitlines():
            key, _, value = line.partition("=")
            if key in ("Environment", "ExecStart"):
                settings.setdefault(key, []).append(value)
        (command,) = settings["ExecStart"]
        variables = dict(value.split("=", 1) for value in settings["Environment"])
        variables.pop("PATH")  # the project's .venv/bin comes first in env() already
        return shlex.split(command), variables
