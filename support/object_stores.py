"""Object storage on loopback, one emulator per bucket option, each with the bucket (or
container) a deployment would have made beforehand:

- s3: moto's S3 API server (PyPI);
- gcs: gcp-storage-emulator (PyPI), which the Google client reaches via API_ENDPOINT_OVERRIDE
  (STORAGE_EMULATOR_HOST would make it anonymous, and unable to sign links), with a service
  account key made for the run and a stand-in for Google's token endpoint, which has no
  emulator;
- azure: Azurite (npm), Azure's own emulator, over HTTPS with a certificate made for the run,
  through its well-known development account.

Each is an ObjectStore class whose start(directory) is a context manager yielding it: the
environment that points a project's production settings at it, and a client of the test's own
to look inside. Every server is stopped when the block ends. The option registry
(support.options) names each option's class.
"""

import json
import os
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .processes import free_port, serve
from .tools import node_tool, python_tool
from .webservers import self_signed_certificate

BUCKET = "uploads"
PREFIX = "media/"  # the location the project's settings give every option
# Azurite's well-known development account: public, documented, valid only for Azurite.
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)


class ObjectStore:
    """A running emulator. endpoint is the origin browsers load media from; env points a
    project's production settings at it; the methods read and write under media/."""

    refuses_unsigned_reads = False  # of a private object
    checks_signatures = False
    keeps_access_control = True  # that is_private can read
    certificate = None  # of an HTTPS endpoint: the run's own
    # The setting that puts a CDN's domain in media links, and its value for a port.
    custom_domain = None, None

    def __init__(self, server, endpoint, env):
        self.server, self.endpoint, self.env = server, endpoint, env

    @classmethod
    def start(cls, directory):
        """A context manager: the emulator started in directory (its log and files), with
        its bucket made; yields the ObjectStore, stops the server when the block ends."""
        raise NotImplementedError

    def names(self):
        """The stored media names, without the media/ prefix, sorted."""
        raise NotImplementedError

    def put(self, name, data):
        raise NotImplementedError

    def get(self, name):
        raise NotImplementedError

    def object_url(self, key):
        """The object's URL at the emulator, unsigned."""
        return f"{self.endpoint}/{BUCKET}/{key}"

    def cdn_origin(self):
        """The URL a CDN in front of the bucket maps its own root to."""
        return f"{self.endpoint}/{BUCKET}/"

    def is_private(self, key):
        """Whether only the account itself may read the object."""
        raise NotImplementedError

    def cdn_settings(self, port):
        """The production setting that links media through a CDN at https://localhost:port."""
        name, value = self.custom_domain
        return {name: value.format(port=port)}

    def allow_public_reads(self):
        """Let anyone read media/ unsigned: what a CDN's own access to the bucket would be
        (the emulators cannot tell a CDN apart)."""

    def stop(self):
        self.server.stop()


class S3Store(ObjectStore):
    # moto refuses an unsigned read of a private object, but does not check signatures.
    refuses_unsigned_reads = True
    custom_domain = "DJANGO_AWS_S3_CUSTOM_DOMAIN", "localhost:{port}"

    @classmethod
    @contextmanager
    def start(cls, directory):
        port = free_port()
        command = [python_tool("moto_server"), "-H", "127.0.0.1", "-p", str(port)]
        log = directory / "moto.log"
        with serve(command, port, cwd=directory, env=dict(os.environ), log=log) as server:
            yield cls(server, f"http://127.0.0.1:{port}")

    def __init__(self, server, endpoint):
        import boto3

        super().__init__(
            server,
            endpoint,
            {
                "DJANGO_AWS_STORAGE_BUCKET_NAME": BUCKET,
                "DJANGO_AWS_S3_ENDPOINT_URL": endpoint,
                "DJANGO_AWS_S3_REGION_NAME": "us-east-1",
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
            },
        )
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        self.client.create_bucket(Bucket=BUCKET)

    def names(self):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=PREFIX)
        keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
        return sorted(key.removeprefix(PREFIX) for key in keys)

    def put(self, name, data):
        self.client.put_object(Bucket=BUCKET, Key=PREFIX + name, Body=data)

    def get(self, name):
        return self.client.get_object(Bucket=BUCKET, Key=PREFIX + name)["Body"].read()

    def is_private(self, key):
        grants = self.client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        return [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]

    def allow_public_reads(self):
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{BUCKET}/{PREFIX}*",
                }
            ],
        }
        self.client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))


class GoogleStore(ObjectStore):
    # The emulator serves any object to anyone: it checks neither ACLs nor signatures.
    keeps_access_control = False
    custom_domain = "DJANGO_GS_CUSTOM_ENDPOINT", "https://localhost:{port}"

    @classmethod
    @contextmanager
    def start(cls, directory):
        port = free_port()
        command = [
            python_tool("gcp-storage-emulator"),
            "start",
            "-H",
            "127.0.0.1",
            "--port",
            str(port),
            "--default-bucket",
            BUCKET,
            "--in-memory",
        ]
        log = directory / "gcs-emulator.log"
        with (
            serve(command, port, cwd=directory, env=dict(os.environ), log=log) as server,
            token_endpoint() as token_uri,
        ):
            key = service_account_key(directory / "service-account.json", token_uri)
            yield cls(server, f"http://127.0.0.1:{port}", key)

    def __init__(self, server, endpoint, key_file):
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import storage

        super().__init__(
            server,
            endpoint,
            {
                "DJANGO_GS_BUCKET_NAME": BUCKET,
                "DJANGO_GS_PROJECT_ID": "test-project",
                # The client's own switch of endpoint (STORAGE_EMULATOR_HOST would also drop
                # the credentials, and with them the signing of links).
                "API_ENDPOINT_OVERRIDE": endpoint,
                # A service account key made for this run: it signs links, locally.
                "GOOGLE_APPLICATION_CREDENTIALS": str(key_file),
            },
        )
        client = storage.Client(
            project="test-project",
            credentials=AnonymousCredentials(),
            client_options={"api_endpoint": endpoint},
        )
        self.bucket = client.bucket(BUCKET)

    def names(self):
        blobs = self.bucket.list_blobs(prefix=PREFIX)
        return sorted(blob.name.removeprefix(PREFIX) for blob in blobs)

    def put(self, name, data):
        self.bucket.blob(PREFIX + name).upload_from_string(data)

    def get(self, name):
        return self.bucket.blob(PREFIX + name).download_as_bytes()


class AzureStore(ObjectStore):
    # Azurite checks every shared access signature.
    refuses_unsigned_reads = checks_signatures = True
    custom_domain = "DJANGO_AZURE_CUSTOM_DOMAIN", "localhost:{port}"

    @classmethod
    @contextmanager
    def start(cls, directory):
        port = free_port()
        cert, key = self_signed_certificate(directory)
        command = [
            node_tool("azurite-blob"),
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            str(port),
            "--inMemoryPersistence",
            "--disableTelemetry",
            "--skipApiVersionCheck",
            "--cert",
            str(cert),
            "--key",
            str(key),
        ]
        log = directory / "azurite.log"
        with serve(command, port, cwd=directory, env=dict(os.environ), log=log) as server:
            yield cls(server, f"https://127.0.0.1:{port}", cert)

    def __init__(self, server, endpoint, certificate):
        from azure.storage.blob import BlobServiceClient

        account_url = f"{endpoint}/{AZURITE_ACCOUNT}"
        connection_string = (
            f"DefaultEndpointsProtocol=https;AccountName={AZURITE_ACCOUNT};"
            f"AccountKey={AZURITE_KEY};BlobEndpoint={account_url};"
        )
        super().__init__(
            server,
            endpoint,
            {
                "DJANGO_AZURE_CONTAINER": BUCKET,
                "DJANGO_AZURE_CONNECTION_STRING": connection_string,
                # Over HTTPS, as Azure is: links keep the endpoint's scheme, on a CDN's domain
                # too. The project's client (requests) trusts the run's own certificate.
                "REQUESTS_CA_BUNDLE": str(certificate),
            },
        )
        self.certificate = certificate
        service = BlobServiceClient.from_connection_string(
            connection_string, connection_verify=str(certificate)
        )
        self.container = service.create_container(BUCKET)

    def object_url(self, key):
        return f"{self.endpoint}/{AZURITE_ACCOUNT}/{BUCKET}/{key}"

    def cdn_origin(self):
        # Links on a custom domain keep the account and container in their path.
        return f"{self.endpoint}/"

    def is_private(self, key):
        # Azure has no per-object access: the container's decides.
        return self.container.get_container_properties().public_access is None

    def names(self):
        blobs = self.container.list_blobs(name_starts_with=PREFIX)
        return sorted(blob.name.removeprefix(PREFIX) for blob in blobs)

    def put(self, name, data):
        self.container.upload_blob(PREFIX + name, data)

    def get(self, name):
        return self.container.download_blob(PREFIX + name).readall()

    def allow_public_reads(self):
        self.container.set_container_access_policy(signed_identifiers={}, public_access="blob")


class TokenHandler(BaseHTTPRequestHandler):
    """Google's OAuth token endpoint, as far as a service account needs it: any request for a
    token gets one. The emulator accepts any token."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"access_token": "t", "expires_in": 3600, "token_type": "Bearer"})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@contextmanager
def token_endpoint():
    """A stand-in for Google's token endpoint on loopback; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), TokenHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/token"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def service_account_key(path, token_uri):
    """A service account key file of a made-up account: the Google client signs links with
    it, locally, and asks token_uri for its tokens."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "test-project",
                "private_key_id": "test",
                "private_key": pem,
                "client_email": "media@test-project.iam.gserviceaccount.com",
                "client_id": "0",
                "token_uri": token_uri,
            }
        )
    )
    return path


def object_store(option, directory):
    """The emulator of one bucket option, started in directory (its log and files): a context
    manager yielding its ObjectStore. The registry (support.options) says which it is."""
    from .options import OPTIONS  # the registry names this module's classes: import it late

    emulator = OPTIONS[option].emulator
    if emulator is None:
        raise ValueError(f"no object store for media option {option!r}")
    return emulator.start(Path(directory))
