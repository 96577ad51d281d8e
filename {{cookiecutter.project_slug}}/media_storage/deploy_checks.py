"""The checks check --deploy adds: MEDIA_ROOT there and writable by whoever writes in it,
and a cache every worker shares. docs/checks.md lists them."""

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
    """Whether user may create files in directory path, by its owner, group and mode."""
    try:
        account = pwd.getpwnam(user)
    except KeyError:
        return True  # no such user here: nothing to say
    info = path.stat()
    groups = {account.pw_gid, *(g.gr_gid for g in grp.getgrall() if user in g.gr_mem)}
    if account.pw_uid == 0:
        return True
    if info.st_uid == account.pw_uid:
        return info.st_mode & 0o300 == 0o300
    if info.st_gid in groups:
        return info.st_mode & 0o030 == 0o030
    return info.st_mode & 0o003 == 0o003


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
