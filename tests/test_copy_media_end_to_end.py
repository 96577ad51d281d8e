"""manage.py copy_media moves a project's media from the local disk into each bucket option's
emulator, checked file by file, and finishes the job after a run killed halfway."""

import base64
import os
import signal
import sqlite3
import subprocess
from contextlib import closing

import pytest

from support.options import BUCKET_OPTIONS

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

FILES = 12
KILLED_AFTER = 3


def users_with_files_on_disk(project, env, media_root):
    """FILES users, each referring to a file of its own in MEDIA_ROOT; returns name: bytes."""
    files = {f"avatars/moved-{n:02}.webp": os.urandom(48 * 1024) for n in range(FILES)}
    for name, content in files.items():
        (media_root / name).parent.mkdir(parents=True, exist_ok=True)
        (media_root / name).write_bytes(content)
    # Rows written as an older version or another option left them: no image handling.
    project.manage(
        "shell",
        "-c",
        "from users.models import User\n"
        f"for number, name in enumerate({sorted(files)!r}):\n"
        "    User.objects.create_user(f'mover{number}', avatar=name)",
        env=env,
    )
    return files


def rows(database):
    """Every user's id and avatar, read from the SQLite file itself."""
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT id, avatar FROM users_user ORDER BY id").fetchall()


@pytest.mark.parametrize("option", BUCKET_OPTIONS)
def test_media_on_disk_moves_into_the_bucket_even_after_a_killed_run(
    installed, production_stack, option, tmp_path
):
    """The stack's running emulator, with a database and MEDIA_ROOT of this test's own."""
    project, store = installed(option), production_stack(option).store
    media_root = tmp_path / "media"
    env = project.prod_env(tmp_path, DJANGO_MEDIA_ROOT=str(media_root), **store.env)
    database = tmp_path / "db.sqlite3"  # prod_env's DATABASE_URL
    project.create_database(env)
    files = users_with_files_on_disk(project, env, media_root)
    before = rows(database)
    command = [project.python, "manage.py", "copy_media", "disk", "default"]

    first = subprocess.Popen(
        command,
        cwd=project.path,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    printed = []
    with first.stdout:
        for line in first.stdout:
            printed.append(line)
            if line.startswith(f"[{KILLED_AFTER}/"):
                os.killpg(first.pid, signal.SIGKILL)
                break
    first.wait(timeout=30)
    in_bucket_after_kill = set(files) & set(store.names())
    resumed = project.manage("copy_media", "disk", "default", env=env)

    assert first.returncode == -signal.SIGKILL, "".join(printed)
    assert not any("files referenced" in line for line in printed)  # it never finished
    assert KILLED_AFTER <= len(in_bucket_after_kill) < FILES
    summary = resumed.stdout.strip().splitlines()[-1]
    copied = FILES - len(in_bucket_after_kill)
    assert summary == (
        f"{FILES} files referenced: {copied} copied, {FILES - copied} already there, 0 failed."
    )
    for name, content in files.items():
        assert store.get(name) == content
    # Each service keeps an MD5 of a file stored whole (S3's ETag, Google's md5Hash, Azure's
    # Content-MD5 of a single put), so every copy was checked by it too.
    copied = [line for line in resumed.stdout.splitlines() if "] copied" in line]
    assert copied and all("(size, MD5 checked)" in line for line in copied)
    assert rows(database) == before


@pytest.mark.parametrize("command", [["copy_media", "disk", "default"], ["orphaned_media"]])
@pytest.mark.parametrize("option", BUCKET_OPTIONS)
def test_a_missing_bucket_stops_the_media_commands_with_one_line_naming_the_setting(
    installed, production_stack, option, command, tmp_path
):
    """A bucket name the service accepts but that does not exist on the running emulator:
    the command stops before the first file instead of failing each one."""
    project, store = installed(option), production_stack(option).store
    (variable,) = [name for name in store.env if name.endswith(("_BUCKET_NAME", "_CONTAINER"))]
    media_root = tmp_path / "media"
    env = project.prod_env(
        tmp_path, DJANGO_MEDIA_ROOT=str(media_root), **{**store.env, variable: "missing-media"}
    )
    project.create_database(env)
    users_with_files_on_disk(project, env, media_root)

    result = project.manage(*command, env=env, check=False)

    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "'missing-media' does not exist" in lines[0] and variable in lines[0]
    assert "[1/" not in result.stdout


def test_a_refused_account_key_stops_copy_media_with_one_line(
    installed, production_stack, tmp_path
):
    """Azurite checks the account key's signature, as Azure does (the S3 and Google emulators
    accept any credentials)."""
    project, store = installed("azure"), production_stack("azure").store
    connection = store.env["DJANGO_AZURE_CONNECTION_STRING"]
    key = connection.split("AccountKey=")[1].split(";")[0]
    wrong = base64.b64encode(b"not the account key").decode()
    media_root = tmp_path / "media"
    env = project.prod_env(
        tmp_path,
        DJANGO_MEDIA_ROOT=str(media_root),
        **{**store.env, "DJANGO_AZURE_CONNECTION_STRING": connection.replace(key, wrong)},
    )
    project.create_database(env)
    users_with_files_on_disk(project, env, media_root)

    result = project.manage("copy_media", "disk", "default", env=env, check=False)

    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "refused the credentials" in lines[0] and "DJANGO_AZURE_CONNECTION_STRING" in lines[0]
    assert "[1/" not in result.stdout
