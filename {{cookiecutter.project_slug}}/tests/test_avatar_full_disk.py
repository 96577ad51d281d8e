"""A store that fails part way leaves nothing behind: on a full filesystem (a small tmpfs),
no partial file stays, the old avatar is kept, and the user is told."""

import os
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from images import encoded, picture, upload
from PIL import Image

from users.models import User

pytestmark = pytest.mark.django_db


def stored_files(media_root):
    files = Path(media_root).rglob("*")
    return sorted(str(p.relative_to(media_root)) for p in files if p.is_file())


@pytest.fixture
def full_media_root(settings, tmp_path):
    """MEDIA_ROOT on a 64 KiB tmpfs, mounted for this test and unmounted after it."""
    root = tmp_path / "small-disk"
    root.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(root)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode:
        pytest.skip(f"this machine does not allow mounting a tmpfs: {mounted.stderr.strip()}")
    settings.MEDIA_ROOT = root
    yield root
    subprocess.run(["umount", str(root)], check=True)


def noise(side=512):
    """A picture that compresses badly: its WebP is far larger than 64 KiB."""
    return encoded(Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)), "PNG")


def test_a_full_disk_leaves_no_partial_file_and_keeps_the_old_avatar(client, full_media_root):
    user = User.objects.create_user("ada", "ada@example.com", "a-long-password")
    client.force_login(user)
    assert (
        client.post(reverse("profile"), {"avatar": upload(encoded(picture(), "PNG"))}).status_code
        == 302
    )
    user.refresh_from_db()
    old = user.avatar.name

    response = client.post(reverse("profile"), {"avatar": upload(noise())})

    assert response.status_code == 503
    assert "could not be saved" in response.content.decode()
    user.refresh_from_db()
    assert user.avatar.name == old
    assert stored_files(full_media_root) == [old]
