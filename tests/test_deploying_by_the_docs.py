"""docs/deployment.md's "On a server of your own", followed as written from stock Debian; the
one-machine rehearsals of deployment.md and scaling.md, run as written.

Every command block of that section runs as the page has it, as root and (where the page
says runuser) as www-data; support/server_docs.py lists the only substitutions made (paths
into the test's directory, free ports on 127.0.0.1, a self-signed certificate, systemd's work
done by the test). nginx and Apache start from copies of Debian's own configuration, default
sites included. The page's password for the first administrator is the one used to log in.
"""

import http.client
import subprocess
from contextlib import closing
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from support.browser import browser_get, log_in, upload_avatar
from support.http import fetch
from support.images import pixels, png
from support.options import OPTIONS
from support.server_docs import Rehearsal, blocks_for, command_blocks, one_machine_rehearsal
from support.services import postgresql, redis
from support.tools import debian_tool, python_tool
from support.visitor import Visitor
from support.webservers import upstreams_in_log, web_server

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

SERVER_HEADER = {"nginx": "nginx", "apache": "Apache"}


def committed_lock(project):
    """uv.lock, as the README asks a project's developer to make and commit it."""
    subprocess.run(
        [python_tool("uv"), "lock", "--quiet"],
        cwd=project.path,
        env={**project.env(), "UV_SYSTEM_CERTS": "1"},
        check=True,
        timeout=300,
    )


def fetched_in_page(page, url):
    """GET url from the page itself (same origin; Chromium resolves the domain to this
    machine): status, Server header, body."""
    status, server, body = page.evaluate(
        """async (url) => {
            const response = await fetch(url);
            const body = new Uint8Array(await response.arrayBuffer());
            return [response.status, response.headers.get("server"), Array.from(body)];
        }""",
        url,
    )
    return status, server, bytes(body)


def status_for_another_host(port):
    """What a plain-HTTP request naming a host this site does not serve gets: its status, or
    None when the connection is closed unanswered (nginx's 444)."""
    try:
        return fetch(f"http://127.0.0.1:{port}/", {"Host": "unknown.example.net"}).status
    except (ConnectionError, http.client.HTTPException):
        return None


@pytest.mark.option("local")
@pytest.mark.parametrize("web_server", SERVER_HEADER)
def test_the_server_steps_run_as_written_give_a_site_that_shows_an_uploaded_avatar(
    bake, web_server, page, tmp_path
):
    project = bake()
    committed_lock(project)
    docs = (project.path / "docs" / "deployment.md").read_text()
    blocks = blocks_for(docs, web_server)
    assert len(blocks) == len(command_blocks(docs)) - 1 >= 7  # only the other server's is left

    with (
        postgresql() as database,
        closing(Rehearsal(project, tmp_path / "server", database_port=database.port)) as server,
    ):
        server.prepare()
        for block in blocks:
            server.run(block)

        avatar = tmp_path / "avatar.png"
        avatar.write_bytes(png((40, 160, 90)))
        log_in(page, server.https_url, "admin", "change-me")
        src = upload_avatar(page, avatar)
        status, server_header, body = fetched_in_page(page, src)

        assert status == 200
        assert server_header == SERVER_HEADER[web_server]  # no version, whatever Debian's says
        assert pixels(body) == pixels(avatar.read_bytes())
        stored = server.root / "srv" / project.path.name / urlsplit(src).path.lstrip("/")
        assert stored.owner() == "www-data"
        assert stored.read_bytes() == body
        # Debian's default site is gone: a host this site does not serve gets no page.
        assert status_for_another_host(server.ports[80]) in (None, 403)


@pytest.mark.parametrize("option", OPTIONS)
def test_the_one_machine_rehearsal_runs_as_written_and_shows_an_uploaded_avatar(
    bake, option, page, tmp_path
):
    """deployment.md's rehearsal (after the emulator's block of media-storage.md), then
    nginx as its prose says: the shipped site with the rehearsal's ports, certificate and
    media directory (support.webservers makes those changes)."""
    project = bake(media_storage=option, **OPTIONS[option].answers).install()
    rehearsal = tmp_path / "rehearsal"
    with one_machine_rehearsal(project, rehearsal) as ports:
        (tmp_path / "nginx").mkdir()
        srv = rehearsal / "srv"
        with web_server(
            "nginx", project, tmp_path / "nginx", app_port=ports[8000], srv=srv
        ) as https_port:
            avatar = tmp_path / "avatar.png"
            avatar.write_bytes(png((200, 120, 20)))
            log_in(page, f"https://127.0.0.1:{https_port}", "admin", "change-me")
            src = upload_avatar(page, avatar)  # the page shows it: it loaded

            assert pixels(browser_get(page, src).body()) == pixels(avatar.read_bytes())


@pytest.mark.option("local")
def test_the_two_server_rehearsal_runs_as_written_and_both_servers_share_logins_and_avatars(
    bake, page, tmp_path
):
    """deployment.md's rehearsal, then scaling.md's block in the same shell (PostgreSQL's and
    Redis's ports substituted by the test's), then nginx as its prose says: the shipped site
    with both web processes in its upstream. Stopping one is test_scale_out.py's."""
    project = bake().install()
    rehearsal, nginx = tmp_path / "rehearsal", tmp_path / "nginx"
    nginx.mkdir()
    with (
        postgresql() as database,
        redis(tmp_path / "redis") as cache,
        one_machine_rehearsal(project, rehearsal, postgresql=database, redis=cache) as ports,
        web_server(
            "nginx",
            project,
            nginx,
            app_port=ports[8001],
            more_app_ports=[ports[8002]],
            srv=rehearsal / "srv",
        ) as https_port,
    ):
        site = SimpleNamespace(
            base_url=f"https://127.0.0.1:{https_port}", certificates=nginx / "cert.pem"
        )
        avatar = tmp_path / "avatar.png"
        avatar.write_bytes(png((90, 40, 160)))
        log_in(page, site.base_url, "admin", "change-me")
        src = upload_avatar(page, avatar)
        shown = []
        for _ in range(4):  # nginx takes turns: both processes answer
            page.goto(site.base_url + "/profile/")
            shown.append(page.eval_on_selector("img.avatar", "img => img.complete && img.src"))
        pages = upstreams_in_log(nginx / "access.log")
        tries = [Visitor(site).try_log_in("admin", "wrong").status_code for _ in range(6)]
        logins = upstreams_in_log(nginx / "access.log")[len(pages) :]
        body = browser_get(page, src).body()
        Visitor(site).post("/accounts/password_reset/", data={"email": "admin@example.com"})
        # The state the two share is the services' the page names, not a file of this machine.
        users = psql(database.server + "/rehearsal", "SELECT username FROM users_user")
        counters = redis_cli(cache, "KEYS", "*throttle:reset-address*")

    assert shown == [src] * 4
    assert pixels(body) == pixels(avatar.read_bytes())
    assert set(pages[-4:]) == {ports[8001], ports[8002]}
    assert tries == [200] * 4 + [429, 429]
    assert set(logins) == {ports[8001], ports[8002]}
    assert users == "admin"
    assert len(counters.split()) == 1


def psql(url, query):
    psql = debian_tool("psql", "postgresql-client")
    done = subprocess.run(
        [psql, url, "-tAc", query], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


def redis_cli(url, *command):
    redis_cli = debian_tool("redis-cli", "redis-tools")
    done = subprocess.run(
        [redis_cli, "-u", url, *command], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()
