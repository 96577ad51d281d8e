"""One temporary directory for a whole run, its own files and those of every program it
starts (TMPDIR): cookiecutter leaves its rendered hook scripts in the temporary directory,
uv its lock files. Removing it at the end removes them all."""

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import yaml


@contextmanager
def scratch_directory(prefix="template-"):
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    saved = {name: os.environ.get(name) for name in ("TMPDIR", "COOKIECUTTER_CONFIG")}
    os.environ["TMPDIR"] = tempfile.tempdir = str(directory)
    # cookiecutter's replay files and clones go here too, not to the home directory.
    settings = directory / "cookiecutter.yaml"
    settings.write_text(
        yaml.safe_dump(
            {
                "replay_dir": str(directory / "replay"),
                "cookiecutters_dir": str(directory / "clones"),
            }
        )
    )
    os.environ["COOKIECUTTER_CONFIG"] = str(settings)
    try:
        yield directory
    finally:
        tempfile.tempdir = None
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(directory, ignore_errors=True)
