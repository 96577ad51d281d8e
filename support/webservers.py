"""Web servers in front of the app, from the project's own config files, on loopback.

A test changes only what a machine-specific deployment would change (ports, certificate paths,
and /srv/<slug>, the directory of media/ and static/); every other line is the shipped one.
"""

import os
import re
import subprocess
from contextlib import contextmanager
from pathlib import Path

from .processes import free_port, serve
from .tools import debian_tool

# Debian's libnginx-mod-http-brotli-static: brotli_static, as deploy/nginx.conf uses it.
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def self_signed_certificate(directory, host="127.0.0.1", files=("cert.pem", "key.pem")):
    """A throwaway server certificate (not a CA's, so Apache takes it without a warning) for
    host, an IP address or a name, made with openssl; returns (cert, key), named files."""
    cert, key = (Path(directory) / name for name in files)
    kind = "IP" if re.fullmatch(r"[\d.]+", host) else "DNS"
    subprocess.run(
        [
            debian_tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-days", "1", "-subj", f"/CN={host}",
            "-addext", f"subjectAltName={kind}:{host}",
            "-addext", "basicConstraints=critical,CA:FALSE",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def split_media_domain(site):
    """deploy/nginx.conf without the media domain's commented-out server block, and that
    block uncommented ("" if the file has none)."""
    start = site.find("\n#server {")
    if start == -1:
        return site, ""
    end = site.index("\n#}", start) + 3
    return site[:start] + "\n" + site[end:], re.sub(r"^#", "", site[start:end], flags=re.M)


def enable_media_domain(block, *, port, cert, key, srv):
    """The media domain's server block on a loopback port, with the test certificate."""
    block = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", block)
    block = replace_once(block, "listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    block = replace_once(block, r"ssl_certificate \S+;", f"ssl_certificate {cert};", regex=True)
    block = replace_once(
        block, r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};", regex=True
    )
    return replace_once(block, r"root /srv/\S+;", f"root {srv};", regex=True)


def nginx_config(
    project,
    directory,
    *,
    http_port,
    https_port,
    app_port,
    srv=None,
    media_domain_port=None,
    host_name=None,
    workers=1,
    more_app_ports=(),
):
    """The project's deploy/nginx.conf on loopback ports, inside a minimal main config whose
    files all live in directory; returns the main config's path. srv stands for /srv/<slug>
    (media/ and static/ in it). With media_domain_port, the media domain's server block is
    enabled there. more_app_ports join app_port in the upstream, as scaling.md says.

    The site's server_name becomes 127.0.0.1 (and host_name, if given). A client that connects
    to an IP address names no server in TLS (SNI), so the shipped default server would refuse
    its handshake: without host_name the default server gets the test certificate instead, and
    still drops every request for another Host. With host_name it is as shipped, and only a
    client that names host_name in TLS gets through."""
    directory = Path(directory)
    cert, key = self_signed_certificate(directory)
    site = (project.path / "deploy" / "nginx.conf").read_text()
    site, media_domain = split_media_domain(site)
    if media_domain_port is None:
        media_domain = ""  # left commented out, as shipped
    else:
        media_domain = enable_media_domain(
            media_domain, port=media_domain_port, cert=cert, key=key, srv=srv
        )
    site = on_loopback(site, http_port, https_port, host_name, cert, key)
    if host_name is None:
        site = replace_once(
            site,
            "ssl_reject_handshake on;",
            f"ssl_certificate {cert};\n    ssl_certificate_key {key};",
        )
    more = "".join(f"\n    server 127.0.0.1:{port};" for port in more_app_ports)
    site = replace_once(site, "127.0.0.1:8000;", f"127.0.0.1:{app_port};{more}")
    if srv is not None:
        site = re.sub(r"(root|alias) /srv/[^/;\s]+", rf"\1 {srv}", site)
    (directory / "site.conf").write_text(site + media_domain)
    return nginx_main_config(
        directory,
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        # Each request with the upstream that answered it ("-": nginx itself).
        "    log_format served '$request_method $request_uri $status upstream=$upstream_addr';\n"
        f"    access_log {directory / 'access.log'} served;\n"
        f"    include {directory / 'site.conf'};\n",
        workers,
    )


def on_loopback(site, http_port, https_port, host_name, cert, key):
    """The site's listen, server_name and certificate lines for loopback ports and the test
    certificate."""
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)  # loopback only
    site = replace_once(
        site, "listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;"
    )
    site = replace_once(
        site, "listen 443 ssl default_server;", f"listen 127.0.0.1:{https_port} ssl default_server;"
    )
    site = replace_once(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
    site = replace_once(site, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    names = " ".join(["127.0.0.1", *([host_name] if host_name else [])])
    site, count = re.subn(r"server_name \S+;", f"server_name {names};", site)
    if count != 2:
        raise AssertionError(f"expected the site's two server_name lines, found {count}")
    site = replace_once(site, r"ssl_certificate \S+;", f"ssl_certificate {cert};", regex=True)
    return replace_once(
        site, r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};", regex=True
    )


def nginx_main_config(directory, http, workers=1):
    """nginx's main config around the given http-context lines, every file in directory."""
    temp_paths = "".join(
        f"    {kind}_temp_path {directory / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Test directories are private to their owner, so workers run as that user.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = directory / "nginx.conf"
    main.write_text(
        f"load_module {BROTLI_MODULE};\n{user}daemon off;\nworker_processes {workers};\n"
        f"pid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n{temp_paths}{http}}}\n"
    )
    return main


def nginx_command(main_config):
    return [debian_tool("nginx"), "-p", str(main_config.parent), "-c", str(main_config)]


def requests_in_log(access_log, *, proxied):
    """The request URIs in a web server's access log (the format the configs here set:
    method, URI, status, then who answered: "-" for the web server itself) that it passed to
    the app (proxied=True) or answered itself (proxied=False)."""
    lines = [line.split() for line in Path(access_log).read_text().splitlines()]
    return [uri for _, uri, _, by in lines if (by.partition("=")[2] != "-") == proxied]


def upstreams_in_log(access_log):
    """The app ports that answered, request by request, in nginx's access log (the format
    nginx_config sets)."""
    lines = Path(access_log).read_text().splitlines()
    return [int(line.rsplit(":", 1)[1]) for line in lines if "upstream=127.0.0.1:" in line]


APACHE_MODULES = [
    "mpm_event", "authz_core", "alias", "mime", "headers", "expires", "proxy", "proxy_http",
    "ssl", "socache_shmcb", "rewrite", "env", "reqtimeout", "xsendfile",
]  # fmt: skip


def apache_config(project, directory, *, http_port, https_port, app_port, srv=None):
    """The project's deploy/apache.conf on loopback ports, inside a minimal main config whose
    files all live in directory; returns the main config's path. Apache's workers run as
    www-data (it refuses root), so the directories it reads are made traversable."""
    directory = Path(directory)
    cert, key = self_signed_certificate(directory)
    site = (project.path / "deploy" / "apache.conf").read_text()
    # Port 80 has two virtual hosts: the default that refuses other hosts, and the site's.
    site = replace_all(site, r"<VirtualHost \*:80>", f"<VirtualHost 127.0.0.1:{http_port}>", 2)
    site = replace_once(site, "<VirtualHost *:443>", f"<VirtualHost 127.0.0.1:{https_port}>")
    site = replace_once(site, r"SSLCertificateFile \S+", f"SSLCertificateFile {cert}", regex=True)
    site = replace_once(
        site, r"SSLCertificateKeyFile \S+", f"SSLCertificateKeyFile {key}", regex=True
    )
    site = replace_all(site, r"ServerName (?!unknown-host\.invalid)\S+", "ServerName 127.0.0.1", 2)
    site = replace_once(site, r"-in \{ [^}]+ \}", "-in { '127.0.0.1' }", regex=True)
    site = site.replace("http://127.0.0.1:8000/", f"http://127.0.0.1:{app_port}/")
    if srv is not None:
        site = re.sub(r"/srv/[^/\s]+/", f"{srv}/", site)
        for path in [Path(srv), *Path(srv).parents]:
            if path.stat().st_mode & 0o011 != 0o011:
                path.chmod(path.stat().st_mode | 0o011)  # traversable by www-data
    (directory / "site.conf").write_text(site)
    modules = "".join(
        f"LoadModule {name}_module /usr/lib/apache2/modules/mod_{name}.so\n"
        for name in APACHE_MODULES
    )
    main = directory / "apache.conf"
    main.write_text(
        f"ServerRoot {directory}\nDefaultRuntimeDir {directory}\n"
        f"PidFile {directory / 'apache.pid'}\nServerName 127.0.0.1\n"
        f"Listen 127.0.0.1:{http_port}\nListen 127.0.0.1:{https_port}\n{modules}"
        "User www-data\nGroup www-data\nTypesConfig /etc/mime.types\n"
        f"ErrorLog {directory / 'error.log'}\n"
        # Each request with the handler that answered it ("-": a file Apache served itself).
        'LogFormat "%m %U%q %>s handler=%R" served\n'
        f"CustomLog {directory / 'access.log'} served\n"
        f"Include {directory / 'site.conf'}\n"
    )
    return main


def replace_all(text, pattern, new, count):
    """Replace a regular expression that must match exactly count times."""
    result, found = re.subn(pattern, new.replace("\\", "\\\\"), text)
    if found != count:
        raise AssertionError(f"expected {count} of {pattern!r}, found {found}")
    return result


def apache_command(main_config):
    return [debian_tool("apache2", "apache2"), "-f", str(main_config), "-DFOREGROUND"]


def caching_proxy_config(directory, *, port, origin, origin_host=None):
    """A stand-in for a CDN: nginx caching what it fetches from origin (a URL: the media
    domain's server block, or the bucket), on its own loopback origin; X-Cache-Status says
    HIT or MISS."""
    directory = Path(directory)
    cert, key = self_signed_certificate(directory, "localhost")  # its links name localhost
    return nginx_main_config(
        directory,
        # Each request with its cache status and the cookies the browser sent with it.
        "    log_format cdn '$request_uri $upstream_cache_status cookie=\"$http_cookie\"';\n"
        f"    access_log {directory / 'access.log'} cdn;\n"
        f"    proxy_cache_path {directory / 'cache'} keys_zone=media:1m;\n"
        "    server {\n"
        f"        listen 127.0.0.1:{port} ssl;\n"
        f"        ssl_certificate {cert};\n        ssl_certificate_key {key};\n"
        "        location / {\n"
        f"            proxy_pass {origin};\n"
        + (
            f"            proxy_set_header Host {origin_host};\n"
            f"            proxy_ssl_server_name on;\n            proxy_ssl_name {origin_host};\n"
            if origin_host
            else ""
        )
        + "            proxy_cache media;\n"
        # As CDNs do for an origin that sends no cache headers (S3 objects): a default TTL.
        "            proxy_cache_valid 200 1d;\n"
        "            add_header X-Cache-Status $upstream_cache_status always;\n"
        "        }\n"
        "    }\n",
    )


def replace_once(text, old, new, regex=False):
    """Replace exactly one occurrence, so a change to the shipped file fails loudly here."""
    pattern = old if regex else re.escape(old)
    result, count = re.subn(pattern, new.replace("\\", "\\\\"), text)
    if count != 1:
        raise AssertionError(f"expected one {old!r}, found {count}")
    return result


WEB_SERVERS = {"nginx": (nginx_config, nginx_command), "apache": (apache_config, apache_command)}


@contextmanager
def web_server(kind, project, directory, *, app_port, **options):
    """The project's nginx or Apache site (kind) with its files in directory, on free loopback
    ports, in front of app_port, until the block ends; yields its HTTPS port. options go to
    nginx_config or apache_config (srv, host_name, workers...)."""
    configure, command = WEB_SERVERS[kind]
    https = free_port()
    main = configure(
        project, directory, http_port=free_port(), https_port=https, app_port=app_port, **options
    )
    log = directory / f"{kind}.log"
    with serve(command(main), https, cwd=directory, env=dict(os.environ), log=log):
        yield https
