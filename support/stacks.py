"""Running stacks made from a baked project, as a deployment runs them, on loopback:

- development: manage.py runserver with development settings;
- production: the web process as deploy/web.service runs it, with production settings,
  behind nginx or Apache over HTTPS (the project's deploy/nginx.conf or deploy/apache.conf),
  with the object storage emulator of a bucket option (support.options names it).

Each is a context manager: every server it starts is stopped when the block ends.
"""

import os
import re
import shutil
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .processes import free_port, serve
from .project import PASSWORD
from .webservers import (
    WEB_SERVERS,
    caching_proxy_config,
    nginx_command,
    requests_in_log,
)


@dataclass
class Stack:
    """A running stack: where the browser goes, and where to look behind it."""

    project: object
    env: dict
    base_url: str
    media_root: Path
    app: object  # the app server (processes.Server)
    web_server_log: Path | None = None
    cdn_url: str | None = None  # with a CDN in front of the media domain
    cdn_log: Path | None = None
    store: object = None  # the object storage emulator (object_stores.ObjectStore), if any
    directory: Path = field(default=None)

    @property
    def app_url(self):
        """The app server itself, behind the web server."""
        return f"http://127.0.0.1:{self.app.port}"

    @property
    def certificates(self):
        """A CA bundle of every certificate the stack's HTTPS servers use: the web server's,
        the CDN's and the object store's, where it has them."""
        bundle = self.directory / "certificates.pem"
        if not bundle.exists():
            found = [self.web_server_log.parent / "cert.pem"]
            if self.cdn_log is not None:
                found.append(self.cdn_log.parent / "cert.pem")
            if self.store is not None and self.store.certificate:
                found.append(self.store.certificate)
            bundle.write_text("".join(path.read_text() for path in found))
        return bundle

    def served_by_web_server(self):
        return requests_in_log(self.web_server_log, proxied=False)

    def proxied_to_app(self):
        return requests_in_log(self.web_server_log, proxied=True)

    def stored_media(self):
        """The names of the files in media storage: on disk, or in the bucket's media/."""
        if self.store is not None:
            return self.store.names()
        files = [path for path in self.media_root.rglob("*") if path.is_file()]
        return sorted(str(path.relative_to(self.media_root)) for path in files)

    def create_users(self, usernames, password=PASSWORD):
        names = list(usernames)
        self.project.manage(
            "shell",
            "--verbosity",
            "0",
            "-c",
            # One hash for all: hashing a password costs a production hasher about half a
            # second, by design.
            "from django.contrib.auth.hashers import make_password\n"
            "from users.models import User\n"
            f"hashed = make_password({password!r})\n"
            f"User.objects.bulk_create(User(username=n, password=hashed) for n in {names!r})",
            env=self.env,
        )

    def sessions(self, usernames):
        """A logged-in session for each user, made on the server side as a login makes it (one
        process, no password to check): {username: session key}."""
        result = self.project.manage(
            "shell",
            "--verbosity",
            "0",
            "-c",
            "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
            "from django.contrib.sessions.backends.db import SessionStore\n"
            "from users.models import User\n"
            f"for user in User.objects.filter(username__in={list(usernames)!r}):\n"
            "    session = SessionStore()\n"
            "    session[SESSION_KEY] = str(user.pk)\n"
            "    session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
            "    session[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
            "    session.create()\n"
            "    print(user.username, session.session_key)",
            env=self.env,
        )
        return dict(line.split() for line in result.stdout.splitlines())


@contextmanager
def development_stack(project, directory):
    """manage.py runserver with development settings and no environment of its own: only
    the database, media and private files' paths point into directory, to keep the checkout
    clean."""
    directory = Path(directory)
    media_root = directory / "media"
    env = project.env(
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(media_root),
        DJANGO_PRIVATE_ROOT=str(directory / "private"),
    )
    project.create_database(env)
    port = free_port()
    command = [project.python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    log = directory / "runserver.log"
    with serve(command, port, cwd=project.path, env=env, log=log) as app:
        yield Stack(project, env, f"http://127.0.0.1:{port}", media_root, app, directory=directory)


@contextmanager
def production_stack(project, directory, web_server="nginx", cdn=False):
    """The web process as deploy/web.service starts it (the Procfile's line, on loopback),
    with production settings, behind the project's nginx or Apache site over HTTPS: the
    single-server deployment. With cdn, a caching proxy on its own origin (localhost, so the
    browser treats it as another site) stands in for a CDN in front of the uploads: of the
    media domain's server block for media on disk (nginx), of the bucket otherwise."""
    directory = Path(directory)
    srv = directory / "srv"  # /srv/<slug>: media/, and static/ for the web server
    media_root = srv / "media"
    media_root.mkdir(parents=True)
    (srv / "private").mkdir()
    shutil.copytree(project.collected_static(), srv / "static")
    (directory / web_server).mkdir()
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    emulator = project.option.emulator
    with ExitStack() as running:
        store = running.enter_context(emulator.start(directory)) if emulator else None
        storage = dict(store.env) if store else {}
        cdn_port, media_domain_port = (free_port(), free_port()) if cdn else (None, None)
        if cdn:
            storage.update(media_links_on_cdn(store, cdn_port))
        command, env = web_process(project, directory, app_port, media_root, storage)
        configure, start = WEB_SERVERS[web_server]
        main = configure(
            project,
            directory / web_server,
            http_port=http_port,
            https_port=https_port,
            app_port=app_port,
            srv=srv,
            **({"media_domain_port": media_domain_port} if cdn and not store else {}),
        )
        log = directory / "web.log"
        app = running.enter_context(serve(command, app_port, cwd=project.path, env=env, log=log))
        log = directory / f"{web_server}.log"
        running.enter_context(
            serve(start(main), https_port, cwd=main.parent, env=dict(os.environ), log=log)
        )
        cdn_log = None
        if cdn:
            origin = (None, store.cdn_origin()) if store else media_domain(main, media_domain_port)
            cdn_log = running.enter_context(caching_proxy(directory, cdn_port, *origin))
        yield Stack(
            project,
            env,
            f"https://127.0.0.1:{https_port}",
            media_root,
            app,
            web_server_log=main.parent / "access.log",
            cdn_url=f"https://localhost:{cdn_port}" if cdn else None,
            cdn_log=cdn_log,
            store=store,
            directory=directory,
        )


def web_process(project, directory, port, media_root, storage):
    """The web process as deploy/web.service runs it (on loopback), on port, with its
    database made: (command, environment)."""
    command, service_env = project.service()
    overrides = {
        # One worker process (of WEB_THREADS threads): enough for every test, and half the
        # start-up of the default, one per core.
        "WEB_CONCURRENCY": "1",
        "DJANGO_MEDIA_ROOT": str(media_root),
        # Beside it, where the shipped web server configs look (/srv/<slug>/private).
        "DJANGO_PRIVATE_ROOT": str(media_root.parent / "private"),
        "DJANGO_STATIC_ROOT": str(project.collected_static()),
        "PORT": str(port),
        **storage,
    }
    env = project.prod_env(directory, **{**service_env, **overrides})
    project.create_database(env)
    return command, env


def media_links_on_cdn(store, port):
    """The production settings that link media through a CDN at https://localhost:port. A
    bucket lets the CDN read it (the emulators cannot tell a CDN apart from anyone else)."""
    if store is None:
        return {"DJANGO_MEDIA_URL": f"https://localhost:{port}/media/"}
    store.allow_public_reads()
    return store.cdn_settings(port)


def media_domain(main, port):
    """The origin of a CDN in front of media on disk: the media domain's server block of the
    site main includes, on port; (host it answers to, URL)."""
    site = main.with_name("site.conf").read_text()
    host = re.search(r"server_name (media\.\S+);", site).group(1)
    return host, f"https://127.0.0.1:{port}"


@contextmanager
def caching_proxy(directory, port, origin_host, origin):
    """A caching proxy (nginx) standing in for a CDN on port, in front of origin (asked for
    origin_host, or origin's own host for None); yields its access log."""
    (directory / "cdn").mkdir()
    main = caching_proxy_config(
        directory / "cdn", port=port, origin=origin, origin_host=origin_host
    )
    command = nginx_command(main)
    with serve(command, port, cwd=main.parent, env=dict(os.environ), log=directory / "cdn.log"):
        yield main.with_name("access.log")
