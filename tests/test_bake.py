"""What a user finds right after baking, before installing anything."""

import math
import re

import pytest

TEXT_SUFFIXES = {".py", ".toml", ".md", ".txt", ".html", ".css", ".conf", ".example", ""}


def text_files(root):
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            yield path, path.read_text(encoding="utf-8")


def test_a_bake_with_the_defaults_makes_a_local_media_project(cookies):
    result = cookies.bake()

    assert result.exit_code == 0, result.exception
    assert result.project_path.name == "my_project"
    assert result.context["media_storage"] == "local"


def test_no_file_keeps_template_syntax(baked):
    leftovers = []
    for path, text in text_files(baked.path):
        relative = path.relative_to(baked.path)
        # Django templates legitimately use {{ }} and {% %}.
        braces = relative.parts[0] != "templates" and re.search(r"\{\{|\{%", text)
        if braces or "cookiecutter" in text.lower():
            leftovers.append(str(relative))
    assert leftovers == []


def test_only_the_chosen_media_option_ships(baked):
    media_settings = (baked.path / "config" / "settings" / "media.py").read_text()
    nginx = (baked.path / "deploy" / "nginx.conf").read_text()

    assert not (baked.path / "_media").exists()
    if baked.media_storage == "local":
        assert "FileSystemStorage" in media_settings
        assert "location /media/" in nginx
        assert "storages" not in (baked.path / "pyproject.toml").read_text()
    else:
        assert "storages.backends.s3.S3Storage" in media_settings
        assert "/media/" not in nginx
        assert "django-storages[s3]" in (baked.path / "pyproject.toml").read_text()
        assert "DJANGO_AWS_S3_ENDPOINT_URL" in (baked.path / ".env.example").read_text()


def test_each_bake_gets_its_own_development_secret_in_dot_env(cookies):
    secrets = []
    for _ in range(2):
        env = (cookies.bake().project_path / ".env").read_text()
        (secret,) = re.findall(r"^DJANGO_SECRET_KEY=(\S+)$", env, re.MULTILINE)
        secrets.append(secret)

    assert len(secrets[0]) >= 50
    assert secrets[0] != secrets[1]


def test_nginx_body_limit_covers_the_avatar_limit_with_a_small_margin(baked):
    nginx = (baked.path / "deploy" / "nginx.conf").read_text()
    base = (baked.path / "config" / "settings" / "base.py").read_text()
    nginx_mb = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1))
    default = re.search(r'"DJANGO_MAX_UPLOAD_SIZE", default=([\d *]+)\)', base).group(1)
    django_bytes = math.prod(int(factor) for factor in default.split("*"))

    assert django_bytes == 5 * 1024 * 1024
    assert django_bytes < nginx_mb * 1024 * 1024 <= django_bytes + 1024 * 1024


def test_dot_env_is_ignored_by_git_with_media_staticfiles_and_the_database(baked):
    ignored = (baked.path / ".gitignore").read_text().split()

    assert {".env", "/media/", "/staticfiles/", "db.sqlite3"} <= set(ignored)


def test_env_example_lists_every_variable_the_settings_read(baked):
    settings = "\n".join(
        path.read_text() for path in (baked.path / "config" / "settings").glob("*.py")
    )
    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z_]+)\"", settings))
    listed = set(re.findall(r"^# ([A-Z_]+)=", (baked.path / ".env.example").read_text(), re.M))

    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_MEDIA_ROOT"} <= read
    assert read <= listed


@pytest.mark.parametrize(
    ("project_name", "slug"),
    [
        ("Café Crème", "cafe_creme"),
        ("Ünïcödé—Shop", "unicode_shop"),
        ("my-great-site", "my_great_site"),
        ("Shop 2024", "shop_2024"),
        ("3D Prints", "site_3d_prints"),
    ],
)
def test_project_names_with_accents_dashes_and_digits_bake_cleanly(cookies, project_name, slug):
    result = cookies.bake(extra_context={"project_name": project_name})

    assert result.exit_code == 0, result.exception
    assert result.project_path.name == slug
    readme = (result.project_path / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# {project_name}\n")
    assert f'name = "{slug}"' in (result.project_path / "pyproject.toml").read_text()


def test_the_development_secret_is_not_in_any_tracked_file(baked):
    secret = re.search(r"DJANGO_SECRET_KEY=(\S+)", (baked.path / ".env").read_text()).group(1)

    assert all(secret not in text for path, text in text_files(baked.path) if path.name != ".env")
