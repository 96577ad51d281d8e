"""Running stacks made from a baked project, as a deployment runs them, on loopback:

- development: manage.py runserver with development settings;
- production: the web process as deploy/web.service runs it, with production settings,
  behind nginx or Apache over HTTPS (the project's deploy/nginx.conf or deploy/apache.conf),
  with moto's S3 API server as the endpoint for s3.

Each is a context manager: every server it starts is stopped when the block ends.
"""

import json
import os
import re
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .processes import free_port, serve
from .project import PASSWORD
from .tools import python_tool
from .webservers import (
    apache_command,
    apache_config,
    caching_proxy_config,
    nginx_command,
    nginx_config,
    requests_in_log,
)

BUCKET = "uploads"
READ_MEDIA = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/media/*",
        }
    ],
}


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
    s3: object = None  # a boto3 client of the S3 endpoint, for s3
    endpoint: str | None = None
    moto: object = None
    directory: Path = field(default=None)

    @property
    def app_url(self):
        """The app server itself, behind the web server."""
        return f"http://127.0.0.1:{self.app.port}"

    def served_by_web_server(self):
        return requests_in_log(self.web_server_log, proxied=False)

    def proxied_to_app(self):
        return requests_in_log(self.web_server_log, proxied=True)

    def stored_media(self):
        """The names of the files in media storage: on disk, or in the bucket's media/."""
        if self.s3 is not None:
            pages = self.s3.get_paginator("list_objects_v2").paginate(
                Bucket=BUCKET, Prefix="media/"
            )
            keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
            return sorted(key.removeprefix("media/") for key in keys)
        files = [path for path in self.media_root.rglob("*") if path.is_file()]
        return sorted(str(path.relative_to(self.media_root)) for path in files)

    def create_users(self, usernames, password=PASSWORD):
        names = list(usernames)
        self.project.manage(
            "shell",
            "--verbosity",
            "0",
            "-c",
            "from users.models import User\n"
            f"for name in {names!r}: User.objects.create_user(name, password={password!r})",
            env=self.env,
        )


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


@contextmanager
def moto_server(directory):
    """moto's S3 API server, with the bucket a deployment would have made beforehand;
    yields (server, boto3 client, endpoint URL)."""
    import boto3

    port = free_port()
    command = [python_tool("moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    log = Path(directory) / "moto.log"
    with serve(command, port, cwd=directory, env=dict(os.environ), log=log) as server:
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.create_bucket(Bucket=BUCKET)
        yield server, client, endpoint


WEB_SERVERS = {"nginx": (nginx_config, nginx_command), "apache": (apache_config, apache_command)}


@contextmanager
def production_stack(project, directory, web_server="nginx", cdn=False):
    """The web process as deploy/web.service starts it (the Procfile's line, on loopback),
    with production settings, behind the project's nginx or Apache site over HTTPS: the
    single-server deployment. With cdn, a caching proxy on its own origin (localhost, so the
    browser treats it as another site) stands in for a CDN in front of the uploads: of the
    media domain's server block for local media (nginx), of the bucket for s3."""
    directory = Path(directory)
    media_root = directory / "srv" / "media"
    media_root.mkdir(parents=True)
    (directory / web_server).mkdir()
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    with ExitStack() as running:
        moto = s3 = endpoint = None
        storage = {}
        if project.media_storage == "s3":
            moto, s3, endpoint = running.enter_context(moto_server(directory))
            storage = {
                "DJANGO_AWS_S3_ENDPOINT_URL": endpoint,
                "DJANGO_AWS_S3_REGION_NAME": "us-east-1",
            }
        cdn_port, media_domain_port = (free_port(), free_port()) if cdn else (None, None)
        if cdn and project.media_storage == "s3":
            storage["DJANGO_AWS_S3_CUSTOM_DOMAIN"] = f"localhost:{cdn_port}"
            # What a CDN's own access to the bucket would be; moto cannot tell the CDN apart.
            s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(READ_MEDIA))
        elif cdn:
            storage["DJANGO_MEDIA_URL"] = f"https://localhost:{cdn_port}/media/"
        # The web process as deploy/web.service runs it (on loopback), on a free port.
        command, service_env = project.service()
        overrides = {"DJANGO_MEDIA_ROOT": str(media_root), "PORT": str(app_port), **storage}
        env = project.prod_env(directory, **{**service_env, **overrides})
        project.create_database(env)
        project.manage("collectstatic", "--noinput", env=env)
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
                host, origin = None, f"{endpoint}/{BUCKET}/"
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
            s3=s3,
            endpoint=endpoint,
            moto=moto,
            directory=directory,
        )
