"""Running stacks made from a baked project, as a deployment runs them, on loopback:

- development: manage.py runserver with development settings;
- production: the web process as deploy/web.service runs it, with production settings,
  behind nginx or Apache over HTTPS (the project's deploy/nginx.conf or deploy/apache.conf),
  with the option's object storage emulator (support.object_stores) for s3, gcs and azure.

Each is a context manager: every server it starts is stopped when the block ends.
"""

import os
import re
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .object_stores import object_store
from .processes import free_port, serve
from .project import PASSWORD
from .webservers import (
    apache_command,
    apache_config,
    caching_proxy_config,
    nginx_command,
    nginx_config,
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
        """A CA bundle of every certificate the stack's HTTPS servers use: the web server's
        and the object store's, if it has one."""
        bundle = self.directory / "certificates.pem"
        if not bundle.exists():
            found = [self.web_server_log.parent / "cert.pem"]
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
    the database and media paths point into directory, to keep the checkout clean."""
    directory = Path(directory)
    media_root = directory / "media"
    env = project.env(
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}", DJANGO_MEDIA_ROOT=str(media_root)
    )
    project.create_database(env)
    port = free_port()
    command = [project.python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    log = directory / "runserver.log"
    with serve(command, port, cwd=project.path, env=env, log=log) as app:
        yield Stack(project, env, f"http://127.0.0.1:{port}", media_root, app, directory=directory)


WEB_SERVERS = {"nginx": (nginx_config, nginx_command), "apache": (apache_config, apache_command)}


@contextmanager
def production_stack(project, directory, web_server="nginx", cdn=False):
    """The web process as deploy/web.service starts it (the Procfile's line, on loopback),
    with production settings, behind the project's nginx or Apache site over HTTPS: the
    single-server deployment. With cdn, a caching proxy on its own origin (localhost, so the
    browser treats it as another site) stands in for a CDN in front of the uploads: of the
    media domain's server block for local media (nginx), of the bucket otherwise."""
    directory = Path(directory)
    media_root = directory / "srv" / "media"
    media_root.mkdir(parents=True)
    (directory / web_server).mkdir()
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    with ExitStack() as running:
        store, storage = None, {}
        if project.media_storage != "local":
            store = running.enter_context(object_store(project.media_storage, directory))
            storage = dict(store.env)
        cdn_port, media_domain_port = (free_port(), free_port()) if cdn else (None, None)
        if cdn and store:
            storage.update(store.cdn_settings(cdn_port))
            store.allow_public_reads()
        elif cdn:
            storage["DJANGO_MEDIA_URL"] = f"https://localhost:{cdn_port}/media/"
        # The web process as deploy/web.service runs it (on loopback), on a free port.
        command, service_env = project.service()
        overrides = {
            # One worker process (of WEB_THREADS threads): enough for every test, and half the
            # start-up of the default, one per core.
            "WEB_CONCURRENCY": "1",
            "DJANGO_MEDIA_ROOT": str(media_root),
            "DJANGO_STATIC_ROOT": str(project.collected_static()),
            "PORT": str(app_port),
            **storage,
        }
        env = project.prod_env(directory, **{**service_env, **overrides})
        project.create_database(env)
        configure, start = WEB_SERVERS[web_server]
        local_cdn = cdn and project.media_storage == "local"
        extra = {"media_domain_port": media_domain_port} if local_cdn else {}
        main = configure(
            project,
            directory / web_server,
            http_port=http_port,
            https_port=https_port,
            app_port=app_port,
            media_parent=media_root.parent if project.media_storage == "local" else None,
            **extra,
        )
        log = directory / "web.log"
        app = running.enter_context(serve(command, app_port, cwd=project.path, env=env, log=log))
        log = directory / f"{web_server}.log"
        running.enter_context(
            serve(start(main), https_port, cwd=main.parent, env=dict(os.environ), log=log)
        )
        cdn_log = None
        if cdn:
            (directory / "cdn").mkdir()
            if local_cdn:  # the media domain's server block is the origin
                site = main.with_name("site.conf").read_text()
                host = re.search(r"server_name (media\.\S+);", site).group(1)
                origin = f"https://127.0.0.1:{media_domain_port}"
            else:  # the bucket is
                host, origin = None, store.cdn_origin()
            cdn_main = caching_proxy_config(
                directory / "cdn", port=cdn_port, origin=origin, origin_host=host
            )
            cdn_log = cdn_main.with_name("access.log")
            running.enter_context(
                serve(
                    nginx_command(cdn_main),
                    cdn_port,
                    cwd=cdn_main.parent,
                    env=dict(os.environ),
                    log=directory / "cdn.log",
                )
            )
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
