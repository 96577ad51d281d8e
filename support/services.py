"""Debian's PostgreSQL and Redis for tests, on 127.0.0.1 and free ports, each in a directory
of its own, and stopped (and removed) by whoever started them."""

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .processes import free_port, serve
from .tools import MissingTool, debian_tool


def postgres_bin():
    """The newest PostgreSQL's programs: Debian keeps them out of PATH, by major version."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda path: int(path.parts[-3])
    )
    if not found:
        raise MissingTool("PostgreSQL is not installed: apt-get install postgresql")
    return found[-1].parent


@contextmanager
def postgresql():
    """A PostgreSQL cluster made for the caller (initdb, trust on loopback only); yields a
    PostgreSQL that makes databases. PostgreSQL refuses to run as root, so as root it runs as
    Debian's postgres user, in a directory of /tmp that user can enter."""
    programs = postgres_bin()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    directory = Path(tempfile.mkdtemp(prefix="postgresql-", dir="/tmp"))
    try:
        if as_postgres:
            shutil.chown(directory, "postgres", "postgres")
        data = directory / "data"
        initdb = [str(programs / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
        subprocess.run([*as_postgres, *initdb], check=True, capture_output=True, timeout=120)
        port = free_port()
        options = ["-D", str(data), "-h", "127.0.0.1", "-p", str(port), "-k", str(directory)]
        command = [*as_postgres, str(programs / "postgres"), *options]
        with serve(command, port, cwd=directory, env=dict(os.environ), log=directory / "log"):
            yield PostgreSQL(f"postgres://postgres@127.0.0.1:{port}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class PostgreSQL:
    server: str  # the superuser's URL

    @property
    def port(self):
        return int(self.server.rsplit(":", 1)[1])

    def database(self, name):
        """A new database and its owner, both called name (password: name); its URL."""
        psql = [debian_tool("psql", "postgresql-client"), self.server, "-v", "ON_ERROR_STOP=1"]
        # Two commands: CREATE DATABASE cannot run in the transaction one -c would make.
        sql = [
            "-c",
            f"CREATE USER {name} PASSWORD '{name}'",
            "-c",
            f"CREATE DATABASE {name} OWNER {name}",
        ]
        subprocess.run([*psql, "-q", *sql], check=True, capture_output=True, timeout=60)
        return f"postgres://{name}:{name}@{self.server.partition('@')[2]}/{name}"


@contextmanager
def redis(directory):
    """Debian's redis-server in directory, nothing kept on disk; yields its URL."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    options = ["--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    command = [debian_tool("redis-server"), *options, "--dir", str(directory)]
    with serve(command, port, cwd=directory, env=dict(os.environ), log=directory / "redis.log"):
        yield f"redis://127.0.0.1:{port}/0"
