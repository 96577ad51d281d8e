"""Running sites made from a baked project, for the end-to-end tests: development
(runserver) and production (the Procfile web process behind nginx over HTTPS, with moto's S3
server for the s3 option)."""

import os
import struct
import sys
import zlib
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from servers import free_port, nginx_command, nginx_config, procfile_command, serve

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN, PASSWORD = "admin", "a-long-admin-password"
BUCKET = "uploads"


def png(rgb, size=(12, 8)):
    """A real PNG image of one colour, made without any imaging library."""
    width, height = size
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@dataclass
class Site:
    """A running site: where the browser goes, and where to look behind it."""

    base_url: str
    media_root: Path
    app: object
    nginx_log: Path | None = None
    s3: object = None
    endpoint: str | None = None
    moto: object = None
    project: object = None
    env: dict | None = None

    def served_by_nginx(self):
        """The request URIs nginx answered itself."""
        return self._nginx_requests(proxied=False)

    def proxied_to_app(self):
        """The request URIs nginx passed to the app."""
        return self._nginx_requests(proxied=True)

    def _nginx_requests(self, proxied):
        lines = [line.split() for line in self.nginx_log.read_text().splitlines()]
        return [uri for _, uri, _, upstream in lines if (upstream != "upstream=-") == proxied]


def prepare_database(project, env):
    project.manage("migrate", "--noinput", env=env)
    project.manage(
        "createsuperuser", "--noinput", "--username", ADMIN, "--email", "admin@example.com",
        env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )  # fmt: skip


@contextmanager
def development_site(project, directory):
    """manage.py runserver with development settings, as the README starts it."""
    media_root = directory / "media"
    env = project.env(
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}", DJANGO_MEDIA_ROOT=str(media_root)
    )
    prepare_database(project, env)
    port = free_port()
    command = [project.python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with serve(command, port, cwd=project.path, env=env, name="runserver") as app:
        yield Site(f"http://127.0.0.1:{port}", media_root, app, project=project, env=env)


@contextmanager
def moto_server(directory):
    """moto's S3 API server, with the bucket the deployment would have made beforehand."""
    import boto3

    executable = Path(sys.executable).with_name("moto_server")
    port = free_port()
    command = [str(executable), "-H", "127.0.0.1", "-p", str(port)]
    with serve(command, port, cwd=directory, env=dict(os.environ), name="moto") as server:
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )  # fmt: skip
        client.create_bucket(Bucket=BUCKET)
        yield server, client, endpoint


@contextmanager
def production_site(project, directory):
    """The Procfile web process with production settings, behind nginx over HTTPS."""
    media_root = directory / "srv" / "media"
    media_root.mkdir(parents=True)
    (directory / "nginx").mkdir()
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    overrides = {
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(directory / "staticfiles"),
        "DJANGO_MEDIA_ROOT": str(media_root),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PORT": str(app_port),
    }
    with ExitStack() as stack:
        moto = s3 = endpoint = None
        if project.media_storage == "s3":
            moto, s3, endpoint = stack.enter_context(moto_server(directory))
            overrides.update(
                DJANGO_AWS_S3_ENDPOINT_URL=endpoint, DJANGO_AWS_S3_REGION_NAME="us-east-1"
            )
        env = project.prod_env(**overrides)
        prepare_database(project, env)
        project.manage("collectstatic", "--noinput", env=env)
        main = nginx_config(
            (project.path / "deploy" / "nginx.conf").read_text(),
            directory / "nginx",
            http_port=http_port,
            https_port=https_port,
            app_port=app_port,
            media_parent=media_root.parent if project.media_storage == "local" else None,
        )
        web = procfile_command(project.path)
        app = stack.enter_context(serve(web, app_port, cwd=project.path, env=env, name="web"))
        stack.enter_context(
            serve(
                nginx_command(main), https_port, cwd=main.parent, env=dict(os.environ), name="nginx"
            )
        )
        yield Site(
            f"https://127.0.0.1:{https_port}", media_root, app,
            nginx_log=main.parent / "access.log", s3=s3, endpoint=endpoint, moto=moto,
            project=project, env=env,
        )  # fmt: skip
