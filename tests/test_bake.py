"""What a user finds right after baking, before installing anything."""

import ast
import json
import math
import re
import tomllib
from urllib.parse import urlsplit

import pytest
import yaml
from markdown_it import MarkdownIt

from support.options import BUCKET_OPTIONS, OPTIONS
from support.project import TEMPLATE

TEXT_SUFFIXES = {".py", ".toml", ".md", ".txt", ".html", ".css", ".conf", ".example", ""}


def pyproject(project):
    return tomllib.loads((project.path / "pyproject.toml").read_text(encoding="utf-8"))


def readme_title(project):
    """The text of the README's first heading, as a Markdown parser reads it."""
    tokens = MarkdownIt().parse((project.path / "README.md").read_text(encoding="utf-8"))
    heading = tokens.index(next(t for t in tokens if t.type == "heading_open"))
    return "".join(child.content for child in tokens[heading + 1].children)


def text_files(root):
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            yield path, path.read_text(encoding="utf-8")


def test_a_bake_with_the_defaults_makes_a_local_media_project(bake):
    project = bake()

    assert project.path.name == "my_project"
    assert "FileSystemStorage" in (project.path / "config" / "settings" / "media.py").read_text()


def test_no_file_keeps_template_syntax(baked_project):
    leftovers = []
    for path, text in text_files(baked_project.path):
        relative = path.relative_to(baked_project.path)
        # Django templates legitimately use {{ }} and {% %}.
        braces = relative.parts[0] != "templates" and re.search(r"\{\{|\{%", text)
        if braces or "cookiecutter" in text.lower():
            leftovers.append(str(relative))
    assert leftovers == []


def test_only_the_chosen_media_option_ships(baked_project):
    option = baked_project.option
    media_settings = (baked_project.path / "config" / "settings" / "media.py").read_text()
    nginx = (baked_project.path / "deploy" / "nginx.conf").read_text()
    apache = (baked_project.path / "deploy" / "apache.conf").read_text()
    pyproject_text = (baked_project.path / "pyproject.toml").read_text()
    env_example = (baked_project.path / ".env.example").read_text()

    assert not (baked_project.path / "_media").exists()
    assert f'"BACKEND": "{option.backend}"' in media_settings
    # The web server serves /media/ from the disk, or never sees it.
    assert ("location /media/" in nginx) == ("/media/" in nginx) == (not option.bucket)
    assert ("Alias /media/" in apache) == ("/media/" in apache) == (not option.bucket)
    if option.extra:
        assert f"django-storages[{option.extra}]" in pyproject_text
    else:
        assert "storages" not in pyproject_text
    # The variables production needs to start: the chosen option's, and no other's.
    variables = {name for other in OPTIONS.values() for name in other.settings}
    assert {name for name in variables if name in env_example} == set(option.settings)


def test_cookiecutter_json_the_option_registry_and_the_option_folders_agree():
    """An option is its name in the prompt, its data, its registry entry and its whole files."""
    template = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
    folders = TEMPLATE / "{{cookiecutter.project_slug}}" / "_media"

    assert list(OPTIONS) == template["media_storage"]  # in the prompt's order: the default first
    assert list(template["_media_options"]) == template["media_storage"]
    assert sorted(path.name for path in folders.iterdir() if path.is_dir()) == sorted(OPTIONS)
    for option in OPTIONS.values():
        assert (option.emulator is not None) == option.bucket, option.name
        assert (option.signature is not None) == (option.expiry is not None) == option.bucket
        assert bool(option.outage_errors) == option.bucket, option.name


def test_each_bake_gets_its_own_development_secret_in_dot_env(bake):
    secrets = []
    for _ in range(2):
        env = (bake().path / ".env").read_text()
        (secret,) = re.findall(r"^DJANGO_SECRET_KEY=(\S+)$", env, re.MULTILINE)
        secrets.append(secret)

    assert len(secrets[0]) >= 50
    assert secrets[0] != secrets[1]


def test_nginx_body_limit_covers_the_avatar_limit_with_a_small_margin(baked_project):
    nginx = (baked_project.path / "deploy" / "nginx.conf").read_text()
    base = (baked_project.path / "config" / "settings" / "base.py").read_text()
    nginx_mb = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1))
    default = re.search(r'"DJANGO_MAX_UPLOAD_SIZE", default=([\d_ *]+)\)', base).group(1)
    django_bytes = math.prod(int(factor) for factor in default.split("*"))

    # 5 MB of 1,000,000 bytes, as the messages say; nginx's "m" is 1,048,576 bytes.
    assert django_bytes == 5_000_000
    assert django_bytes < nginx_mb * 1024 * 1024 <= django_bytes + 1_300_000


def test_dot_env_is_ignored_by_git_with_media_staticfiles_and_the_database(baked_project):
    ignored = (baked_project.path / ".gitignore").read_text().split()

    assert {".env", "/media/", "/staticfiles/", "db.sqlite3"} <= set(ignored)


def test_env_example_lists_every_variable_the_settings_read(baked_project):
    settings = "\n".join(
        path.read_text() for path in (baked_project.path / "config" / "settings").glob("*.py")
    )
    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z_]+)\"", settings))
    listed = set(
        re.findall(r"^# ([A-Z_]+)=", (baked_project.path / ".env.example").read_text(), re.M)
    )

    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_MEDIA_ROOT"} <= read
    assert read <= listed


# S3's, Google's and Azure's rules at once: 3 to 63 of a-z, 0-9 and "-", starting and ending
# with a letter or digit, no "--" (Azure).
BUCKET_NAME = re.compile(r"(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")


def example_values(project):
    text = (project.path / ".env.example").read_text(encoding="utf-8")
    return dict(re.findall(r"^# ([A-Z_]+)=(.*)$", text, re.M))


@pytest.mark.parametrize("slug", [None, "a__b_" + "x" * 58, "site_3d_prints"])
@pytest.mark.parametrize("option", BUCKET_OPTIONS)
def test_every_example_value_is_valid_for_its_service(bake, option, slug):
    project = bake(media_storage=option, **({"project_slug": slug} if slug else {}))
    values = example_values(project)

    buckets = [v for k, v in values.items() if k.endswith(("BUCKET_NAME", "CONTAINER"))]
    assert buckets and all(BUCKET_NAME.fullmatch(value) for value in buckets), buckets
    urls = {k: v for k, v in values.items() if k.endswith(("_URL", "_ENDPOINT"))}
    assert "DATABASE_URL" in urls and "EMAIL_URL" in urls
    for name, url in urls.items():
        parts = urlsplit(url)
        assert parts.scheme and parts.hostname, (name, url)


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
def test_project_names_with_accents_dashes_and_digits_bake_cleanly(bake, project_name, slug):
    project = bake(project_name=project_name)

    assert project.path.name == slug
    assert readme_title(project) == project_name
    assert pyproject(project)["project"]["name"] == slug


def test_the_development_secret_is_not_in_any_tracked_file(baked_project):
    secret = re.search(r"DJANGO_SECRET_KEY=(\S+)", (baked_project.path / ".env").read_text()).group(
        1
    )

    assert all(
        secret not in text for path, text in text_files(baked_project.path) if path.name != ".env"
    )


# Answers given on cookiecutter's command line are rendered as Jinja themselves, so "{{"
# there is cookiecutter's syntax, not text; single braces are text everywhere.
NASTY = {
    "project_name": "Q \" ' b\\s #h {br} }{ 🎉 Café <b>&amp; *s* `t` [x](y)",
    "description": 'Line with "quotes", \\ and # and {braces} and ✓ <script>',
    "author_name": 'Zoë "Z" O\'Brien \\ {a}',
    "author_email": "zoe@example.com",
}


def test_every_answer_placed_in_a_file_is_escaped_for_that_files_syntax(bake):
    project = bake(**NASTY, media_storage="s3")

    meta = pyproject(project)["project"]
    assert meta["description"] == NASTY["description"]
    assert meta["authors"] == [{"name": NASTY["author_name"], "email": NASTY["author_email"]}]
    assert readme_title(project) == NASTY["project_name"]
    readme = MarkdownIt().parse((project.path / "README.md").read_text(encoding="utf-8"))
    paragraphs = ["".join(c.content for c in t.children) for t in readme if t.type == "inline"]
    assert NASTY["description"] in paragraphs
    # Every file of each syntax still parses.
    for path in project.path.rglob("*"):
        if path.suffix == ".py":
            ast.parse(path.read_text(encoding="utf-8"), str(path))
        elif path.suffix in {".yml", ".yaml"}:
            yaml.safe_load(path.read_text(encoding="utf-8"))
        elif path.suffix == ".toml":
            tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))


def test_the_readme_fits_on_a_screen_and_every_page_it_links_exists(baked_project):
    readme = (baked_project.path / "README.md").read_text(encoding="utf-8")
    pages = [baked_project.path / "README.md", *(baked_project.path / "docs").glob("*.md")]

    assert len(readme.splitlines()) < 100
    assert [line for line in readme.splitlines() if len(line) > 100] == []
    for page in pages:
        for link in re.findall(r"\]\(([\w./-]+\.md)", page.read_text(encoding="utf-8")):
            assert (page.parent / link).is_file(), f"{page.name} links to {link}"
