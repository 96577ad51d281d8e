"""A baked project on disk, installed in its own virtual environment, and how to run it."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


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
        # The project's own tools first, then uv and the other test tools.
        paths = [self.path / ".venv" / "bin", Path(sys.executable).parent, env["PATH"]]
        env["PATH"] = os.pathsep.join(map(str, paths))
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
