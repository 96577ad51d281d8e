import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PROJECT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores uploads in a fresh temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path_factory):
    """Every test stores private files in a fresh temporary PRIVATE_ROOT, beside no other."""
    settings.PRIVATE_ROOT = tmp_path_factory.mktemp("private")
    return settings.PRIVATE_ROOT


@pytest.fixture
def png():
    """A small, real PNG upload."""

    def make(name="avatar.png", colour="teal"):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")

    return make


@pytest.fixture
def run_django():
    """Run Python code in a fresh process, as a server would start, under a settings module.

    With settings_module=None the code must choose its settings itself.
    """

    def run(code, settings_module, env=None):
        clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
        clean.pop("DATABASE_URL", None)
        if settings_module:
            clean["DJANGO_SETTINGS_MODULE"] = settings_module
            code = "import django; django.setup()\n" + code
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=PROJECT_DIR,
            env={**clean, **(env or {})},
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run
