"""A baked, installed project: lint, its own tests, migrations, deploy checks, static files."""

import re
import sys
import urllib.error
import urllib.request

import pytest

from servers import free_port, nginx_command, nginx_config, procfile_command, serve

pytestmark = pytest.mark.slow


def test_ruff_finds_nothing_to_fix(project):
    project.run(project.bin("ruff"), "check", ".")
    project.run(project.bin("ruff"), "format", "--check", ".")


def test_the_projects_own_test_suite_passes(project):
    result = project.run(project.bin("pytest"), "-q", "-p", "no:cacheprovider")

    assert re.search(r"\b\d+ passed\b", result.stdout)
    assert "failed" not in result.stdout and "error" not in result.stdout


def test_migrations_match_the_models(project):
    project.manage("makemigrations", "--check", "--dry-run")


def test_production_settings_pass_the_deploy_check(project):
    result = project.manage("check", "--deploy", "--fail-level", "WARNING", env=project.prod_env())

    assert "System check identified no issues" in result.stdout


def test_collectstatic_writes_hashed_files_with_brotli_and_gzip_siblings(project, tmp_path):
    static_root = tmp_path / "staticfiles"

    project.manage(
        "collectstatic", "--noinput", env=project.prod_env(DJANGO_STATIC_ROOT=str(static_root))
    )

    hashed = [
        p
        for p in (static_root / "css").iterdir()
        if re.fullmatch(r"site\.[0-9a-f]{12}\.css", p.name)
    ]
    assert len(hashed) == 1
    assert hashed[0].with_name(hashed[0].name + ".br").is_file()
    assert hashed[0].with_name(hashed[0].name + ".gz").is_file()
    assert (static_root / "staticfiles.json").is_file()
    assert not (static_root / "avatars").exists()


def test_production_media_storage_matches_the_answer(project):
    script = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "print(type(s).__module__ + '.' + type(s).__name__, getattr(s, 'file_overwrite', None))"
    )
    result = project.run(project.python, "-c", script, env=project.prod_env())

    expected = {
        "local": "django.core.files.storage.filesystem.FileSystemStorage None",
        "s3": "storages.backends.s3.S3Storage False",
    }
    assert result.stdout.strip() == expected[project.media_storage]


def test_createsuperuser_works_without_prompts(project, tmp_path):
    env = project.env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SUPERUSER_PASSWORD="a-long-admin-password",
    )
    project.manage("migrate", "--noinput", env=env)
    project.manage(
        "createsuperuser", "--noinput", "--username", "admin", "--email", "a@example.com", env=env
    )
    check = (
        "from django.contrib.auth import authenticate;"
        "u = authenticate(username='admin', password='a-long-admin-password');"
        "print(u.is_superuser, u.email)"
    )

    result = project.manage("shell", "--verbosity", "0", "-c", check, env=env)

    assert result.stdout.split() == ["True", "a@example.com"]


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return status, {name.lower(): value for name, value in headers.items()}, body


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_development_server_runs_with_no_environment(project, tmp_path):
    env = project.env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    project.manage("migrate", "--noinput", env=env)
    port = free_port()
    command = [project.python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]

    with serve(command, port, cwd=project.path, env=env, name="runserver"):
        status, _, body = fetch(f"http://127.0.0.1:{port}/")
        css = re.search(rb'href="(/static/css/site\.css)"', body).group(1).decode()
        css_status, css_headers, _ = fetch(f"http://127.0.0.1:{port}{css}")

    assert status == 200
    assert css_status == 200
    assert css_headers["content-type"].startswith("text/css")


def test_the_procfile_web_process_serves_pages_and_hashed_static_files(project, tmp_path):
    env = project.prod_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "staticfiles"),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        PORT=str(free_port()),
    )
    project.manage("migrate", "--noinput", env=env)
    project.manage("collectstatic", "--noinput", env=env)
    port, https = int(env["PORT"]), {"X-Forwarded-Proto": "https"}

    with serve(procfile_command(project.path), port, cwd=project.path, env=env, name="web"):
        plain_status, plain_headers, _ = fetch(f"http://127.0.0.1:{port}/")
        status, _, body = fetch(f"http://127.0.0.1:{port}/", https)
        css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body).group(1).decode()
        css_status, css_headers, _ = fetch(
            f"http://127.0.0.1:{port}{css}", {**https, "Accept-Encoding": "br"}
        )

    assert plain_status == 301
    assert plain_headers["location"] == f"https://127.0.0.1:{port}/"
    assert status == 200
    assert css_status == 200
    assert "immutable" in css_headers["cache-control"]
    assert css_headers["content-encoding"] == "br"


def comparable(response):
    """status, headers (but Date) and body of a fetch."""
    status, headers, body = response
    return status, {name: value for name, value in headers.items() if name != "date"}, body


def test_the_web_process_answers_as_whitenoise_middleware_would(project, tmp_path):
    """config/wsgi.py puts WhiteNoise in front of Django for speed; the responses must be
    those of the middleware path (plain get_wsgi_application()), headers included."""
    env = project.prod_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "staticfiles"),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
    )
    project.manage("collectstatic", "--noinput", env=env)
    fast_port, plain_port = free_port(), free_port()
    plain = [
        project.bin("granian"), "--interface", "wsgi", "--host", "127.0.0.1",
        "--port", str(plain_port), "--factory", "django.core.wsgi:get_wsgi_application",
    ]  # fmt: skip
    https_only = {"X-Forwarded-Proto": "https"}
    browser = {**https_only, "Accept-Encoding": "br, gzip"}

    with (
        serve(procfile_command(project.path), fast_port, cwd=project.path,
              env={**env, "PORT": str(fast_port)}, name="web"),
        serve(plain, plain_port, cwd=project.path, env=env, name="plain-django"),
    ):  # fmt: skip
        _, _, page = fetch(f"http://127.0.0.1:{plain_port}/", browser)
        css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1).decode()
        paths = ["/", css, "/static/css/site.css", "/static/missing.css", "/missing/", "/profile/"]
        # Over HTTPS, as nginx passes every request (plain HTTP never reaches the app).
        for path in paths:
            for headers in (browser, {**browser, "Accept-Encoding": "gzip"}, https_only):
                fast, plain_ = (
                    comparable(fetch(f"http://127.0.0.1:{port}{path}", headers))
                    for port in (fast_port, plain_port)
                )
                assert fast == plain_, (path, headers)
        css_headers = comparable(fetch(f"http://127.0.0.1:{fast_port}{css}", browser))[1]
    assert "immutable" in css_headers["cache-control"]
    assert css_headers["content-encoding"] == "br"


def test_nginx_accepts_the_shipped_config(project, tmp_path):
    main = nginx_config(
        (project.path / "deploy" / "nginx.conf").read_text(),
        tmp_path,
        http_port=free_port(),
        https_port=free_port(),
        app_port=free_port(),
    )

    result = project.run(*nginx_command(main), "-t")

    assert "test is successful" in result.stderr


def test_plain_pip_installs_the_project_and_its_dev_group(local_project, tmp_path):
    project, venv = local_project, tmp_path / "venv"
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--quiet"]
    project.run(sys.executable, "-m", "venv", str(venv))
    project.run(*pip, "install", "--upgrade", "pip")
    project.run(*pip, "install", "-e", ".", "--group", "dev")

    result = project.run(str(venv / "bin" / "pytest"), "-q", "-p", "no:cacheprovider")

    assert re.search(r"\b\d+ passed\b", result.stdout)
