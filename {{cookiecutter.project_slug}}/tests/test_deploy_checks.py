"""What check --deploy adds: MEDIA_ROOT there and writable by whoever writes it, a SQLite
database the web process may write, and a cache every worker shares."""

import os
import re
from pathlib import Path

import pytest
from system_checks import only, storage_messages

PROJECT_DIR = Path(__file__).resolve().parent.parent


def test_the_deploy_check_needs_media_root_to_exist(settings, media_root):
    settings.MEDIA_ROOT = media_root / "missing"

    assert storage_messages(deploy=False) == []
    only(storage_messages(deploy=True), "storage.E012", "MEDIA_ROOT", "does not exist")


def test_the_deploy_check_needs_media_root_to_be_writable(settings, media_root, monkeypatch):
    media_root.chmod(0o500)
    # root may write anywhere whatever the mode, so play the web server's unprivileged user.
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: path != media_root and real_access(path, mode)
    )

    try:
        only(storage_messages(deploy=True), "storage.E012", "MEDIA_ROOT", "not writable")
    finally:
        media_root.chmod(0o700)


def test_the_deploy_check_needs_media_root_writable_by_the_web_processs_user(settings, media_root):
    settings.WEB_USER = "nobody"
    media_root.chmod(0o755)  # this user's own; nobody may only read it

    message = only(storage_messages(deploy=True), "storage.E012", "not writable by nobody")

    assert "install -d -o nobody -g nobody" in message.hint


def test_a_missing_media_root_left_at_the_default_names_the_directory_the_web_server_serves(
    settings,
):
    settings.MEDIA_ROOT = str(settings.BASE_DIR / "media")
    if os.path.isdir(settings.MEDIA_ROOT):
        pytest.skip("this checkout has a development media directory")

    message = only(storage_messages(deploy=True), "storage.E012", "does not exist")

    config = (PROJECT_DIR / "deploy" / "nginx.conf").read_text()
    served = re.search(r"location /media/ \{\s*root (\S+);", config)
    if served:  # local media: nginx serves /media/ from the disk
        assert f"DJANGO_MEDIA_ROOT={served.group(1)}/media" in message.hint


def test_a_sqlite_database_the_web_processs_user_cannot_write_is_reported(
    settings, media_root, tmp_path, monkeypatch
):
    media_root.chmod(0o777)  # writable by nobody: only the database is at fault
    database = tmp_path / "db.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)  # this user's own, as migrate run as root leaves it
    # The test settings' database is SQLite too: only its file changes (no test here opens it).
    monkeypatch.setitem(settings.DATABASES["default"], "NAME", str(database))
    settings.WEB_USER = "nobody"

    message = only(storage_messages(deploy=True), "storage.E018", "writable by nobody")

    assert f"chown nobody: {tmp_path} {database}" in message.hint


def test_a_sqlite_database_the_web_processs_user_may_write_passes(
    settings, media_root, tmp_path, monkeypatch
):
    media_root.chmod(0o777)
    database = tmp_path / "db.sqlite3"
    database.write_bytes(b"")
    tmp_path.chmod(0o777)
    database.chmod(0o666)
    # The test settings' database is SQLite too: only its file changes (no test here opens it).
    monkeypatch.setitem(settings.DATABASES["default"], "NAME", str(database))
    settings.WEB_USER = "nobody"

    assert storage_messages(deploy=True) == []


def test_a_per_process_cache_with_several_workers_is_reported(settings, monkeypatch):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setenv("WEB_CONCURRENCY", "2")

    only(storage_messages(deploy=True), "storage.W017", "each process", "2 workers")
