"""The checks check --deploy adds: MEDIA_ROOT there and writable by whoever writes in it, a
SQLite database the web process may write, and a cache every worker shares. docs/checks.md
lists them."""

import grp
import os
import pwd
import re
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .checks import absolute, media_on_local_disk


def media_root_served():
    """The directory deploy/nginx.conf serves /media/ from, or None."""
    config = Path(settings.BASE_DIR) / "deploy" / "nginx.conf"
    found = config.is_file() and re.search(r"location /media/ \{\s*root (\S+);", config.read_text())
    return f"{found.group(1)}/media" if found else None


def writable_by(path, user):
    """Whether user may write path (a file) or create files in it (a directory), by its
    owner, group and mode."""
    try:
        account = pwd.getpwnam(user)
    except KeyError:
        return True  # no such user here: nothing to say
    info = path.stat()
    groups = {account.pw_gid, *(g.gr_gid for g in grp.getgrall() if user in g.gr_mem)}
    needed = 0o333 if path.is_dir() else 0o222  # write, and enter a directory
    if account.pw_uid == 0:
        return True
    if info.st_uid == account.pw_uid:
        return info.st_mode & needed & 0o700 == needed & 0o700
    if info.st_gid in groups:
        return info.st_mode & needed & 0o070 == needed & 0o070
    return info.st_mode & needed & 0o007 == needed & 0o007


def hint_for(media, user):
    owner = user or "USER"
    if media == Path(settings.BASE_DIR) / "media":  # DJANGO_MEDIA_ROOT unset
        served = media_root_served() or "/DIRECTORY/THE/WEB/SERVER/SERVES"
        return (
            f"MEDIA_ROOT is the development default: set DJANGO_MEDIA_ROOT={served} (what "
            f"deploy/nginx.conf serves at /media/), then: install -d -o {owner} -g {owner} "
            f"{served}"
        )
    return (
        "Create it, owned by the web process's user: "
        f"install -d -o {owner} -g {owner} {os.fspath(media)}"
    )


@register(Tags.files, deploy=True)
def check_media_root_is_writable(app_configs, **kwargs):
    """MEDIA_ROOT exists, and this user and the web process's (WEB_USER, where the
    environment names it) may write in it: a release command run as root must not leave
    files the web process cannot replace."""
    media = absolute(settings.MEDIA_ROOT)
    if media is None or not media_on_local_disk():
        return []
    user = settings.WEB_USER
    if not media.is_dir():
        problem = f"MEDIA_ROOT {os.fspath(media)!r} does not exist: the first upload would fail."
    elif not os.access(media, os.W_OK | os.X_OK):
        problem = f"MEDIA_ROOT {os.fspath(media)!r} is not writable by this user: uploads fail."
    elif user and not writable_by(media, user):
        problem = (
            f"MEDIA_ROOT {os.fspath(media)!r} is not writable by {user}, the user the web "
            "process runs as (WEB_USER): uploads would fail."
        )
    else:
        return []
    return [Error(problem, hint=hint_for(media, user), id="storage.E012")]


@register(Tags.database, deploy=True)
def check_sqlite_is_writable_by_the_web_process(app_configs, **kwargs):
    """A SQLite database file, and its directory (where SQLite writes its journal), must be
    writable by the web process's user: migrate run as root leaves a file only root may
    write, and every login then fails."""
    database = settings.DATABASES["default"]
    user = settings.WEB_USER
    name = str(database["NAME"])
    if not user or database["ENGINE"] != "django.db.backends.sqlite3":
        return []
    if name == ":memory:" or name.startswith("file:"):
        return []  # in memory: no file to own
    path = Path(name)
    refused = [p for p in (path.parent, path) if p.exists() and not writable_by(p, user)]
    if not refused:
        return []
    names = " and ".join(repr(os.fspath(p)) for p in refused)
    return [
        Error(
            f"The SQLite database needs {names} writable by {user}, the user the web process "
            "runs as (WEB_USER): every write (logins, uploads) would fail.",
            hint=f"Give them to that user: chown {user}: {' '.join(map(os.fspath, refused))}; "
            f"run the release commands as {user} (runuser -u {user} -- deploy/manage ...).",
            id="storage.E018",
        )
    ]


@register(Tags.caches, deploy=True)
def check_cache_is_shared(app_configs, **kwargs):
    """Counts kept in the cache (password-reset throttling) must be seen by every worker.
    Settings that leave CACHES at Django's default (development, tests) run one process."""
    cache = settings.CACHES.get("default", {}).get("BACKEND", "")
    workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
    chosen = settings.is_overridden("CACHES")
    if settings.DEBUG or not chosen or not cache.endswith("LocMemCache") or workers < 2:
        return []
    return [
        Warning(
            f"The default cache is kept in each process ({cache}), and the web process runs "
            f"{workers} workers: each counts password-reset requests on its own.",
            hint="Share one: DJANGO_CACHE_URL=dbcache://django_cache (the default in production) "
            "or redis://HOST:6379/0.",
            id="storage.W017",
        )
    ]
