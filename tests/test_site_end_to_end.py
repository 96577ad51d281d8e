"""A finished site around the app: its name in the code, quiet logs, and nginx refusing every
host name the site does not serve before the app sees it."""

import ast
import re
import socket
import ssl

import pytest

from support.http import fetch
from support.processes import free_port
from support.stacks import development_stack
from support.tools import python_tool
from support.webservers import nginx_command, nginx_config, web_server

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

NAMES = [
    'Café "Crème" \\ #1 {brace} 🎉 <b>&',
    "It's Ada's",
    'Mixed \' and "" quotes',
    "Ends in a backslash \\",
    "Tab\tand DEL\x7f",
]


@pytest.mark.parametrize("name", NAMES)
def test_the_site_name_is_the_answer_as_a_python_string_ruff_leaves_alone(bake, name):
    project = bake(project_name=name)
    base = project.path / "config" / "settings" / "base.py"

    (line,) = [line for line in base.read_text().splitlines() if line.startswith("SITE_NAME =")]
    ruff = project.run(python_tool("ruff"), "format", "--check", str(base), check=False)

    assert ast.literal_eval(line.partition("=")[2].strip()) == name
    assert ruff.returncode == 0, ruff.stdout


@pytest.mark.option("local")
def test_the_development_server_logs_each_line_once(installed, tmp_path):
    with development_stack(installed("local"), tmp_path) as stack:
        missing = fetch(stack.base_url + "/no-such-page/")
        icon = fetch(stack.base_url + "/favicon.ico")
        log = stack.app.output()

    assert missing.status == 404
    assert icon.status == 302
    assert log.count("Not Found: /no-such-page/") == 1
    assert "Not Found: /favicon.ico" not in log
    assert log.count("GET /no-such-page/ HTTP/1.1") == 1


def test_the_web_process_starts_without_websocket_noise(local_behind_nginx):
    assert fetch(local_behind_nginx.app_url + "/").status == 301  # it has served a request
    assert "ebsocket" not in local_behind_nginx.app.output()


def http_port(stack):
    """The plain HTTP port of the stack's web server, from the config it runs."""
    for config in stack.directory.glob("*/site.conf"):
        text = config.read_text()
        found = re.search(
            r"listen 127\.0\.0\.1:(\d+) default_server;|<VirtualHost [\d.]+:(\d+)>", text
        )
        return int(found.group(1) or found.group(2))
    raise LookupError(f"no web server config in {stack.directory}")


def https_port(stack):
    return int(stack.base_url.rpartition(":")[2])


def raw_request(port, host, path, *, tls=False, server_name=None):
    """A GET with the given Host header; returns what came back (b"" for a closed connection)."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        connection = context.wrap_socket(connection, server_hostname=server_name)
    with connection:
        connection.sendall(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_nginx_drops_requests_for_other_hosts_and_the_app_never_sees_them(local_behind_nginx):
    stack = local_behind_nginx
    logged_before = len(stack.app.output())  # the stack is shared: only this test's lines count

    over_http = raw_request(http_port(stack), "scanner.example", "/probe-over-http/")
    over_https = raw_request(https_port(stack), "scanner.example", "/probe-over-https/", tls=True)
    for_the_site = raw_request(https_port(stack), "127.0.0.1", "/accounts/login/", tls=True)

    assert over_http == b""
    assert over_https == b""
    assert for_the_site.startswith(b"HTTP/1.1 200")
    assert "/accounts/login/" in stack.proxied_to_app()
    dropped = [line for line in stack.web_server_log.read_text().splitlines() if "probe" in line]
    assert [line.split()[1:3] for line in dropped] == [
        ["/probe-over-http/", "444"],
        ["/probe-over-https/", "444"],
    ]
    logged = stack.app.output()[logged_before:]
    assert "DisallowedHost" not in logged
    assert "Traceback" not in logged


def test_plain_http_for_the_sites_host_is_redirected_to_https(local_behind_nginx):
    response = fetch(f"http://127.0.0.1:{http_port(local_behind_nginx)}/profile/?tab=avatar")

    assert response.status == 301
    assert response.headers["location"] == "https://127.0.0.1/profile/?tab=avatar"


@pytest.fixture
def nginx_as_shipped(local_behind_nginx, tmp_path):
    """The shipped default server, handshake refusal included, in front of the running app;
    the site is reached as localhost, a name TLS clients send (SNI)."""
    project, app_port = local_behind_nginx.project, local_behind_nginx.app.port
    with web_server("nginx", project, tmp_path, app_port=app_port, host_name="localhost") as port:
        yield port


def test_nginx_refuses_the_tls_handshake_of_a_client_naming_another_host(nginx_as_shipped):
    port = nginx_as_shipped

    named = raw_request(port, "127.0.0.1", "/accounts/login/", tls=True, server_name="localhost")
    for server_name in ("scanner.example", None):  # another name, or none (the bare address)
        with pytest.raises(ssl.SSLError, match="UNRECOGNIZED_NAME|unrecognized name"):
            raw_request(port, "127.0.0.1", "/", tls=True, server_name=server_name)

    assert named.startswith(b"HTTP/1.1 200")


def test_nginx_accepts_the_shipped_config_without_a_warning(baked_project, tmp_path):
    ports = {"http_port": free_port(), "https_port": free_port(), "app_port": free_port()}
    main = nginx_config(baked_project, tmp_path, **ports, host_name="localhost")

    result = baked_project.run(*nginx_command(main), "-t")

    assert "test is successful" in result.stderr
    assert "[warn]" not in result.stderr, result.stderr
    shipped = (baked_project.path / "deploy" / "nginx.conf").read_text()
    assert not re.search(r"^\s*listen[^;]*http2", shipped, re.M)  # deprecated from 1.25.1


def test_apache_refuses_requests_for_other_hosts_and_the_app_never_sees_them(local_behind_apache):
    stack = local_behind_apache
    logged_before = len(stack.app.output())

    over_http = raw_request(http_port(stack), "scanner.example", "/probe-over-http/")
    over_https = raw_request(https_port(stack), "scanner.example", "/probe-over-https/", tls=True)
    for_the_site = raw_request(https_port(stack), "127.0.0.1", "/accounts/login/", tls=True)
    redirect = fetch(f"http://127.0.0.1:{http_port(stack)}/profile/?tab=avatar")

    assert over_http.startswith(b"HTTP/1.1 403")
    assert over_https.startswith(b"HTTP/1.1 403")
    assert for_the_site.startswith(b"HTTP/1.1 200")
    assert redirect.status == 301
    assert redirect.headers["location"] == "https://127.0.0.1/profile/?tab=avatar"
    # Apache refused them itself (its log names the proxy as their handler all the same).
    refused = [line for line in stack.web_server_log.read_text().splitlines() if "probe" in line]
    assert [line.split()[1:3] for line in refused] == [
        ["/probe-over-http/", "403"],
        ["/probe-over-https/", "403"],
    ]
    logged = stack.app.output()[logged_before:]
    assert "DisallowedHost" not in logged
    assert "Traceback" not in logged


@pytest.mark.option("local")
@pytest.mark.parametrize("kind", ["nginx", "apache"])
def test_with_the_app_down_the_web_server_shows_the_sites_own_page_and_no_version(
    production_stack, kind, page, tmp_path
):
    """The shipped site in front of an app that is not there (nothing listens on its port),
    with the running stack's STATIC_ROOT: nginx answers 502, Apache 503."""
    stack = production_stack("local", kind)
    srv = stack.directory / "srv"
    with web_server(kind, stack.project, tmp_path, app_port=free_port(), srv=srv) as https:
        response = page.goto(f"https://127.0.0.1:{https}/profile/")
        body = page.content()

        assert response.status in (502, 503)
        assert page.title().startswith("Back in a moment")
        # The site's style sheet, from STATIC_ROOT: the card has its rounded corners.
        card = "getComputedStyle(document.querySelector('.card')).borderTopLeftRadius"
        assert page.evaluate(card) == "12px"
        assert response.headers["server"] in ("nginx", "Apache")
        assert not re.search(r"(nginx|Apache)/\d", body + str(response.headers))
        assert "no-store" in response.headers.get("cache-control", "")
