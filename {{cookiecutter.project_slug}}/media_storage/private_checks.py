"""System checks for private files (private_files): a private root the web server or
collectstatic would publish, a private storage in a bucket that anyone can read, or a signed
link that lives long enough to be passed around. They read settings and the shipped deploy
configs only. docs/checks.md lists them."""

import os
import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register

from .checks import absolute, backend, overlap, overlapping, static_directories
from .services import bucket_service

# The longest a signed link to a private file may work: long enough to start a download,
# short enough that a forwarded or logged link is soon of no use.
LONGEST_LINK_SECONDS = 600


def private_option(name, setting, default):
    """A private storage option as django-storages reads it: OPTIONS, then the setting."""
    options = settings.STORAGES.get("private", {}).get("OPTIONS", {})
    return options.get(name, getattr(settings, setting, default))


@register(Tags.files)
def check_private_root(app_configs, **kwargs):
    """On disk, private files must be where no public URL reaches: outside MEDIA_ROOT (the web
    server's /media/) and every static directory (collectstatic's, WhiteNoise's)."""
    if "private" not in settings.STORAGES or bucket_service(backend("private")):
        return []
    private = absolute(settings.PRIVATE_ROOT)
    hint = "Set DJANGO_PRIVATE_ROOT to a directory of its own, e.g. /srv/<project>/private."
    if private is None:
        value = os.fspath(settings.PRIVATE_ROOT or "")
        problem = f"PRIVATE_ROOT {value!r} is not an absolute directory."
        return [Error(problem, hint=hint, id="storage.E019")]
    public = [("MEDIA_ROOT", settings.MEDIA_ROOT), *static_directories()]
    return [
        Error(
            f"PRIVATE_ROOT {os.fspath(private)!r} {relation} {name} {os.fspath(other)!r}: "
            "private files would be served to anyone.",
            hint=hint,
            id="storage.E020",
        )
        for name, other, relation in overlapping(private, public)
    ]


def link_seconds(service):
    lifetime = private_option(*service.lifetime)
    return lifetime.total_seconds() if isinstance(lifetime, timedelta) else lifetime


@register(Tags.files)
def check_private_bucket(app_configs, **kwargs):
    service = bucket_service(backend("private"))
    if service is None:
        return []
    errors = []
    public = service.public_links(private_option)
    domain = private_option(*service.custom_domain)
    if public or domain:
        why = public or f"linked through the custom domain {domain!r}"
        errors.append(
            Error(
                f"{service.name} private files are {why}: anyone could read them.",
                hint='STORAGES["private"] must sign every link, with no public ACL and no '
                "custom domain (config/settings/media.py).",
                id="storage.E021",
            )
        )
    seconds = link_seconds(service)
    if not seconds or seconds > LONGEST_LINK_SECONDS:
        errors.append(
            Error(
                f"{service.name} signed links to private files work for "
                f"{'ever' if not seconds else f'{seconds:.0f} s'}.",
                hint=f"Set {service.lifetime[0]} to PRIVATE_LINK_SECONDS (at most "
                f'{LONGEST_LINK_SECONDS} s) in STORAGES["private"]["OPTIONS"].',
                id="storage.E022",
            )
        )
    return errors


NGINX_LOCATION = re.compile(r"location\s+([^{]*?)\s*\{")
NGINX_PATH = re.compile(r"^\s*(root|alias)\s+([^;\s]+);", re.M)


def nginx_public_paths(text):
    """(URL, directory) of each root or alias line of nginx.conf outside an internal location;
    a root serves the location's prefix below it."""
    found, stack, depth = [], [], 0
    for line in text.splitlines():
        code = line.split("#", 1)[0]
        opened = NGINX_LOCATION.search(code)
        if opened:
            stack.append([opened.group(1).split()[-1], depth, False])
        if code.strip() == "internal;" and stack:
            stack[-1][2] = True
        path = NGINX_PATH.match(code)
        if path and not any(internal for _, _, internal in stack):
            prefix = stack[-1][0] if stack else "/"
            kind, directory = path.groups()
            served = directory if kind == "alias" else directory.rstrip("/") + prefix
            found.append((prefix, served))
        depth += code.count("{") - code.count("}")
        while stack and depth <= stack[-1][1]:
            stack.pop()
    return found


def apache_public_paths(text):
    found = re.findall(r"^\s*Alias\s+(\S+)\s+(\S+)", text, re.M)
    found += [("/", path) for path in re.findall(r"^\s*DocumentRoot\s+(\S+)", text, re.M)]
    return found


@register(Tags.files, deploy=True)
def check_web_server_keeps_private_root_private(app_configs, **kwargs):
    if "private" not in settings.STORAGES or bucket_service(backend("private")):
        return []
    private = absolute(settings.PRIVATE_ROOT)
    deploy = Path(settings.BASE_DIR) / "deploy"
    errors = []
    for name, paths in (("nginx.conf", nginx_public_paths), ("apache.conf", apache_public_paths)):
        config = deploy / name
        if private is None or not config.is_file():
            continue
        for url, directory in paths(config.read_text()):
            served = absolute(directory)
            if served and overlap(private, served) in ("is", "is inside"):
                errors.append(
                    Error(
                        f"deploy/{name} serves {os.fspath(served)!r} at {url}, and with it "
                        f"PRIVATE_ROOT {os.fspath(private)!r}: anyone could fetch private files.",
                        hint="Serve private files only from an internal location (nginx) or "
                        "through XSendFilePath (Apache), as the shipped configs do.",
                        id="storage.E023",
                    )
                )
    return errors
