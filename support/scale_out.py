"""Past one machine, on loopback: two app servers, each with a copy of the project's code in a
directory of its own, sharing nothing but what the settings name (Debian's PostgreSQL, Debian's
Redis and the option's bucket emulator), behind one nginx with both as one upstream.

A context manager, like the stacks of support.stacks: every server it starts is stopped when
the block ends.
"""

import os
import shutil
import subprocess
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from .object_stores import object_store
from .processes import Server, free_port, serve
from .services import postgresql, redis
from .webservers import nginx_command, nginx_config, requests_in_log, upstreams_in_log

# What a machine's copy of the code leaves out: the environment is installed once, and
# nothing else of the original's may be shared.
NOT_CODE = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.sqlite3", "media")


@dataclass
class Machine:
    """One app server: its code, its environment, its web process."""

    name: str
    path: Path
    env: dict
    command: list
    port: int
    server: Server | None = None

    def start(self):
        log = self.path.parent / f"{self.name}.log"
        server = Server(self.command, self.port, cwd=self.path, env=self.env, log=log)
        self.server = server.wait_until_listening(30)

    def stop(self):
        if self.server is not None:
            self.server.stop()
            self.server = None

    def manage(self, *args, check=True, env=None):
        """manage.py on this machine, with its production settings (and env's changes)."""
        python = Path(self.env["PATH"].split(os.pathsep)[0]) / "python"
        return subprocess.run(
            [str(python), "manage.py", *args],
            cwd=self.path,
            env={**self.env, **(env or {})},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
            check=check,
        )


@dataclass
class ScaledOut:
    base_url: str
    machines: list
    web_server_log: Path
    certificates: Path  # nginx's, for clients
    store: object
    postgres: object  # support.services.PostgreSQL

    def upstreams(self):
        """The app ports that answered, request by request, from nginx's log."""
        return upstreams_in_log(self.web_server_log)

    def proxied(self):
        return requests_in_log(self.web_server_log, proxied=True)


def machine(project, directory, name, shared):
    """A machine's code (a copy), environment and web process command, not started."""
    path = directory / name / "app"
    shutil.copytree(project.path, path, ignore=NOT_CODE)
    command, service_env = project.service()
    port = free_port()
    overrides = {
        **service_env,
        "WEB_CONCURRENCY": "1",
        "PORT": str(port),
        "DJANGO_STATIC_ROOT": str(project.collected_static()),
        **shared,
    }
    env = project.prod_env(directory / name, **overrides)
    return Machine(name, path, env, command, port)


@contextmanager
def scaled_out_stack(project, directory):
    directory = Path(directory)
    with ExitStack() as running:
        postgres = running.enter_context(postgresql())
        cache = running.enter_context(redis(directory / "redis"))
        (directory / "store").mkdir(parents=True)
        store = running.enter_context(object_store(project.media_storage, directory / "store"))
        shared = {
            "DATABASE_URL": postgres.database("site"),
            "DJANGO_CACHE_URL": cache,
            **store.env,
        }
        machines = [machine(project, directory, name, shared) for name in ("one", "two")]
        machines[0].manage("migrate", "--noinput")  # the release step, once
        for each in machines:
            each.start()
            running.callback(each.stop)
        http_port, https_port = free_port(), free_port()
        nginx = directory / "nginx"
        nginx.mkdir()
        first, *others = (each.port for each in machines)
        ports = {"http_port": http_port, "https_port": https_port, "app_port": first}
        main = nginx_config(project, nginx, **ports, more_app_ports=others)
        web_server = serve(
            nginx_command(main), https_port, cwd=nginx, env=dict(os.environ), log=nginx / "log"
        )
        running.enter_context(web_server)
        yield ScaledOut(
            f"https://127.0.0.1:{https_port}",
            machines,
            nginx / "access.log",
            nginx / "cert.pem",
            store,
            postgres,
        )
