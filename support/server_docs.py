"""docs/deployment.md's "On a server of your own", run as written, on this machine.

Each command block of that section runs in bash as root, exactly as the page has it, but for
these substitutions (the only ones):
- path prefixes: /srv, /etc/<slug>, /etc/nginx, /etc/apache2, /etc/systemd/system, /opt and
  /usr/local/bin, the logs and run files of Debian's nginx and Apache, and Let's Encrypt's
  certificate directory all move into the rehearsal's directory (a self-signed certificate for
  the domain stands in for Let's Encrypt's), in the page and in the shipped files alike;
- the git URL: a bare repository of the baked project, uv.lock committed as the README asks;
- ports: 80 and 443 (the site's and Debian's default sites'), 8000 (the app) and 5432
  (PostgreSQL, a cluster of the rehearsal's own, found through PGHOST and PGPORT) become free
  ports on 127.0.0.1, and IPv6 listen lines go;
- systemd: there is none here. `systemctl` records what it was asked, and the rehearsal does
  it: `enable --now NAME` runs the unit's ExecStart as its User, with its EnvironmentFile and
  Environment, in its WorkingDirectory; `reload nginx`/`reload apache2` starts that server from
  its copy of /etc, as a new server has it running;
- this network: UV_SYSTEM_CERTS=1, for the certificates of this machine's network.

nginx and Apache start from copies of Debian's own /etc/nginx and /etc/apache2, default sites
included, as a new server has them.
"""

import os
import re
import shlex
import shutil
import signal
import subprocess
import textwrap
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from .processes import ServerFailed, free_port, listening, seconds_until, serve
from .tools import debian_tool
from .webservers import self_signed_certificate

SECTION = "## On a server of your own"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
WEB_SERVER_BLOCKS = {"nginx": "nginx -t", "apache": "a2ensite"}  # the block each one owns


def command_blocks(page, heading=SECTION):
    """The sh blocks of the page's section under heading, dedented, in order."""
    section = page.split(heading, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^( *)```sh\n(.*?)^\1```", section, flags=re.M | re.S)
    return [textwrap.dedent(body) for _, body in blocks]


def blocks_for(page, web_server):
    """The section's blocks for a server in front of web_server: every block but the other web
    server's."""
    others = [mark for name, mark in WEB_SERVER_BLOCKS.items() if name != web_server]
    return [block for block in command_blocks(page) if not any(m in block for m in others)]


class Rehearsal:
    """A server of the rehearsal's own inside directory: its prefixes, ports and substitutions."""

    def __init__(self, project, directory, *, database_port, domain="example.com"):
        self.project, self.root = project, Path(directory)
        self.slug, self.domain = project.path.name, domain
        self.ports = {80: free_port(), 443: free_port(), 8000: free_port()}
        self.database_port = database_port
        self.servers = ExitStack()
        self.started = set()
        self.root.mkdir(parents=True, exist_ok=True)
        for path in [self.root, *self.root.parents]:
            path.chmod(path.stat().st_mode | 0o011)  # www-data, postgres may pass through

    @property
    def https_url(self):
        return f"https://{self.domain}:{self.ports[443]}"

    def prefixes(self):
        """What the page and the shipped files name -> where it is here."""
        root = self.root
        return {
            f"https://git.example.com/you/{self.slug}.git": f"file://{root}/{self.slug}.git",
            f"/etc/letsencrypt/live/{self.domain}/": f"{root}/certificates/",
            "/etc/systemd/system/": f"{root}/etc/systemd/system/",
            f"/etc/{self.slug}": f"{root}/etc/{self.slug}",
            "/etc/nginx": f"{root}/etc/nginx",
            "/etc/apache2": f"{root}/etc/apache2",
            "/run/nginx.pid": f"{root}/run/nginx.pid",
            "/var/log/nginx": f"{root}/log/nginx",
            "/var/run/apache2": f"{root}/run/apache2",
            "/var/lock/apache2": f"{root}/lock/apache2",
            "/var/log/apache2": f"{root}/log/apache2",
            "/srv/": f"{root}/srv/",
            "/opt/": f"{root}/opt/",
            "/usr/local/bin/": f"{root}/bin/",
            "127.0.0.1:8000": f"127.0.0.1:{self.ports[8000]}",
            "PORT=8000": f"PORT={self.ports[8000]}",
            "127.0.0.1:5432": f"127.0.0.1:{self.database_port}",
        }

    def substitute(self, text):
        """text with every prefix replaced, in one pass (so no result is replaced again)."""
        prefixes = self.prefixes()
        pattern = "|".join(re.escape(old) for old in sorted(prefixes, key=len, reverse=True))
        return re.sub(pattern, lambda match: prefixes[match.group()], text)

    def on_loopback(self, text):
        """A web server's config with its ports on 127.0.0.1 and free (IPv6 lines gone)."""
        http, https = self.ports[80], self.ports[443]
        text = re.sub(r"^\s*listen \[::\]:\d+[^;]*;\n", "", text, flags=re.M)
        text = re.sub(r"\blisten 80\b", f"listen 127.0.0.1:{http}", text)
        text = re.sub(r"\blisten 443\b", f"listen 127.0.0.1:{https}", text)
        text = re.sub(r"^(\s*)Listen 80$", rf"\1Listen 127.0.0.1:{http}", text, flags=re.M)
        text = re.sub(r"^(\s*)Listen 443$", rf"\1Listen 127.0.0.1:{https}", text, flags=re.M)
        return text.replace("*:80>", f"*:{http}>").replace("*:443>", f"*:{https}>")

    def prepare(self):
        """The machine before the first step: Debian's web server configs as installed, a
        certificate, and the project in a git repository."""
        for name in ("nginx", "apache2"):
            shutil.copytree(f"/etc/{name}", self.root / "etc" / name, symlinks=True)
            for path in (self.root / "etc" / name).rglob("*"):
                if path.is_file() and not path.is_symlink():
                    text = path.read_text(errors="surrogateescape")
                    changed = self.on_loopback(self.substitute(text))
                    if changed != text:
                        path.write_text(changed, errors="surrogateescape")
        for directory in ("log/nginx", "log/apache2", "run", "lock", "etc/systemd/system", "bin"):
            (self.root / directory).mkdir(parents=True, exist_ok=True)
        (self.root / "tmp").mkdir()
        (self.root / "tmp").chmod(0o1777)  # root's and www-data's, as /tmp is
        self.certificate()
        self.repository()

    def certificate(self):
        """Where Let's Encrypt would put the domain's, a self-signed one."""
        directory = self.root / "certificates"
        directory.mkdir()
        self_signed_certificate(directory, self.domain, ("fullchain.pem", "privkey.pem"))

    def repository(self):
        """The baked project as its developer has it on a git host: committed, with uv.lock,
        the shipped deploy files on this rehearsal's paths and ports."""
        source = self.root / "source"
        shutil.copytree(self.project.path, source, ignore=shutil.ignore_patterns(".venv"))
        for path in (source / "deploy").iterdir():
            path.write_text(self.on_loopback(self.substitute(path.read_text())))
        git = [debian_tool("git"), "-C", str(source), "-c", "user.name=Rehearsal"]
        git += ["-c", "user.email=rehearsal@example.com"]
        if not (source / ".git").exists():
            subprocess.run([*git[:3], "init", "-q"], check=True, timeout=60)
        subprocess.run([*git, "add", "-A"], check=True, timeout=60)
        subprocess.run([*git, "commit", "-q", "-m", "The project"], check=True, timeout=60)
        bare = self.root / f"{self.slug}.git"
        subprocess.run(
            [debian_tool("git"), "clone", "-q", "--bare", str(source), str(bare)],
            check=True,
            timeout=60,
        )
        shutil.chown(bare, "www-data", "www-data")
        for path in bare.rglob("*"):
            shutil.chown(path, "www-data", "www-data")

    def environment(self):
        return {
            "PATH": f"{self.root}/bin:{SYSTEM_PATH}",
            "HOME": "/root",
            "LANG": "C.UTF-8",
            "UV_SYSTEM_CERTS": "1",
            "PGHOST": "127.0.0.1",
            "PGPORT": str(self.database_port),
            "APACHE_CONFDIR": str(self.root / "etc" / "apache2"),
            "TMPDIR": str(self.root / "tmp"),  # the tools' temporary files go with the rest
        }

    def preamble(self):
        """Shell functions for what this machine runs elsewhere: systemctl is recorded, nginx
        reads its copied config."""
        root = self.root
        return (
            f'systemctl() {{ echo "$*" >> {root}/systemctl; }}\n'
            f"nginx() {{ command nginx -c {root}/etc/nginx/nginx.conf"
            f' -e {root}/log/nginx/error.log "$@"; }}\n'
        )

    def run(self, block):
        """One block as root, with bash's errexit, from the rehearsal's root; then what its
        systemctl lines asked for."""
        script = self.preamble() + "set -euo pipefail\n" + self.substitute(block)
        done = subprocess.run(
            ["/bin/bash", "-c", script],
            cwd=self.root,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            raise AssertionError(
                f"the block failed ({done.returncode}):\n{block}\n{done.stdout}\n{done.stderr}"
            )
        self.carry_out_systemctl()
        return done

    def carry_out_systemctl(self):
        log = self.root / "systemctl"
        for line in log.read_text().splitlines() if log.exists() else []:
            words = line.split()
            if words[:2] == ["enable", "--now"] and words[2] not in self.started:
                self.start_unit(words[2])
            elif words[0] == "reload" and words[1] not in self.started:
                getattr(self, f"start_{words[1]}")()
            self.started.update(words[2:3] if words[0] == "enable" else words[1:2])

    def start_unit(self, name):
        unit = unit_settings(self.root / "etc" / "systemd" / "system" / f"{name}.service")
        env = dict(unit["Environment"])
        for path in unit["EnvironmentFile"]:
            env.update(environment_file(Path(path)))
        pairs = [f"{key}={value}" for key, value in env.items()]
        command = ["runuser", "-u", unit["User"], "--", "env", "-i", *pairs]
        command += shlex.split(unit["ExecStart"])
        self.servers.enter_context(
            serve(
                command,
                self.ports[8000],
                cwd=unit["WorkingDirectory"],
                env=self.environment(),
                log=self.root / f"{name}.log",
                timeout=60,
            )
        )

    def start_nginx(self):
        root = self.root
        command = [debian_tool("nginx"), "-c", f"{root}/etc/nginx/nginx.conf"]
        command += ["-e", f"{root}/log/nginx/error.log", "-g", "daemon off;"]
        self.servers.enter_context(
            serve(
                command, self.ports[443], cwd=root, env=self.environment(), log=root / "nginx.log"
            )
        )

    def start_apache2(self):
        command = [debian_tool("apache2ctl", "apache2"), "-DFOREGROUND"]
        env = self.environment()
        (self.root / "run" / "apache2").mkdir(exist_ok=True)
        (self.root / "lock" / "apache2").mkdir(parents=True, exist_ok=True)
        self.servers.enter_context(
            serve(command, self.ports[443], cwd=self.root, env=env, log=self.root / "apache2.log")
        )

    def close(self):
        self.servers.close()


def unit_settings(path):
    """A systemd unit's [Service] settings the rehearsal needs."""
    settings = {"Environment": [], "EnvironmentFile": []}
    for line in path.read_text().splitlines():
        key, sep, value = line.partition("=")
        if not sep or line.startswith("#"):
            continue
        if key == "Environment":
            settings[key].append(tuple(value.split("=", 1)))
        elif key == "EnvironmentFile":
            settings[key].append(value)
        else:
            settings[key] = value
    return settings


def environment_file(path):
    """KEY=VALUE lines, as systemd's EnvironmentFile reads the simple ones."""
    lines = path.read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if "=" in line and not line.startswith("#")]
    return {key.strip(): value.strip() for key, value in pairs}


# "Rehearse production on one machine": the emulator's block of media-storage.md (bucket
# options), then deployment.md's block, in one bash from the project's directory with its
# virtual environment active, as the page says; with two_servers, scaling.md's block after
# them. Substituted: /tmp/rehearsal becomes a directory of the test's, and the ports the pages
# name (8000, 8001, 8002 the app; 9000, 9023, 10000 the emulators; 5432 and 6379 PostgreSQL
# and Redis) the test's. What the pages leave to prose (nginx's site with the rehearsal's
# ports, certificate and media directory) the caller does, with support.webservers.
REHEARSAL = "## Rehearse production on one machine"
EMULATOR = "## Rehearse with"
TWO_SERVERS = "## Rehearse two app servers on one machine"
REHEARSAL_PORTS = (8000, 8001, 8002, 9000, 9023, 10000)


def rehearsal_script(project, directory, ports, *, two_servers=False):
    """The pages' commands for project, substituted; ports maps each page's port to the
    test's."""
    docs = project.path / "docs"
    blocks = []
    if project.option.emulator:
        blocks += command_blocks((docs / "media-storage.md").read_text(), EMULATOR)
    blocks += command_blocks((docs / "deployment.md").read_text(), REHEARSAL)
    if two_servers:
        blocks += command_blocks((docs / "scaling.md").read_text(), TWO_SERVERS)
    script = "\n".join(blocks).replace("/tmp/rehearsal", str(directory))
    for page_port, port in ports.items():
        script = re.sub(rf"\b{page_port}\b", str(port), script)
    return "set -euo pipefail\n. .venv/bin/activate\n" + script


@contextmanager
def one_machine_rehearsal(project, directory, *, postgresql=None, redis=None):
    """Run the rehearsal's commands; yield the ports they were given once the app listens.
    With postgresql and redis (servers of the test's), scaling.md's block runs too, and both
    of its web processes are waited for. What the commands left running (the app, an
    emulator) is in their process group, stopped on leaving."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ports = {port: free_port() for port in REHEARSAL_PORTS}
    env, web = project.env(), [8000]
    if postgresql:
        ports |= {5432: postgresql.port, 6379: int(urlsplit(redis).port)}
        env |= {"PGHOST": "127.0.0.1", "PGPORT": str(postgresql.port)}
        web = [8001, 8002]
    script = rehearsal_script(project, directory, ports, two_servers=bool(postgresql))
    log = directory / "commands.log"
    with log.open("wb") as output:
        shell = subprocess.Popen(
            ["/bin/bash", "-c", script],
            cwd=project.path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        if shell.wait(timeout=600):
            raise ServerFailed(f"the rehearsal's commands failed:\n{log.read_text()}")
        for port in (ports[each] for each in web):
            if seconds_until(lambda port=port: listening(port), 60) is None:
                raise ServerFailed(f"nothing listens on 127.0.0.1:{port}:\n{log.read_text()}")
        yield ports
    finally:
        stop_group(shell.pid)


def stop_group(group):
    """SIGTERM to a process group, SIGKILL to what is left of it after 10 s."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(group, sig)
                sig = 0  # sent once; then only asked whether any process is left
            except ProcessLookupError:
                return
            time.sleep(0.1)
