"""The hooks: each answer rule as a plain function, then a few bakes through the real CLI.

Every bad answer stops the bake with one clear line and leaves nothing behind; every rule
refuses only what would break the project.
"""

import importlib.util
import json
import shutil
import subprocess
import sys
import tomllib

import pytest

from support.project import TEMPLATE
from support.tools import python_tool


def hook(name):
    """A hook script as a module; its Jinja sits in a string, read only by main()."""
    spec = importlib.util.spec_from_file_location(name, TEMPLATE / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pre_gen = hook("pre_gen_project")
# The answers a bake renders by default: the hooks read the media options' data from them.
DEFAULTS = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))

BAD_SLUGS = [
    ("My_Project", "a-z, 0-9 and _"),
    ("2fast", "start with a letter"),
    ("my-project", "a-z, 0-9 and _"),
    ("café", "a-z, 0-9 and _"),
    ("_private", "start with a letter"),
    ("trailing_", "not end with _"),
    ("", "1 to 63"),
    ("a" * 64, "1 to 63"),
    ("django", "installs a package named 'django'"),
    ("sqlparse", "installs a package named 'sqlparse'"),
    ("typing_extensions", "installs a package named 'typing-extensions'"),
    ("django_environ", "installs a package named 'django-environ'"),
    # Every media option's packages, whichever option is chosen.
    ("boto3", "installs a package named 'boto3'"),
    ("google_auth", "installs a package named 'google-auth'"),
    ("azure_core", "installs a package named 'azure-core'"),
]
# Refused by older versions, harmless: the project never imports a module named after
# itself (its directory is not on sys.path; only its contents are).
HARMLESS_SLUGS = ["email", "site", "test", "config", "users", "class", "shop_2024", "a" * 63]
BAD_DOMAINS = [
    ("https://example.com", "host name"),
    ("example.com/", "host name"),
    ("example.com:8000", "host name"),
    ("exa mple.com", "host name"),
    ("-example.com", "host name"),
    ("example..com", "host name"),
    ("Example.com", "host name"),
    ("192.168.0.1", "not a number"),
    ("", "1 to 253"),
    ("a" * 64 + ".com", "host name"),
]
GOOD_DOMAINS = ["www.example.co.uk", "xn--caf-dma.example", "localhost", "example.com"]
BAD_EMAILS = ["", "you", "you@example", "you @example.com", "you@exa mple.com", "a@b@c.com"]
GOOD_EMAILS = ["you@example.com", "zoë+tag@exämple.org"]


@pytest.mark.parametrize(("slug", "rule"), BAD_SLUGS)
def test_a_slug_that_would_break_the_project_is_refused_with_the_reason(slug, rule):
    assert rule in problem("project_slug", slug)


@pytest.mark.parametrize("slug", HARMLESS_SLUGS)
def test_a_harmless_slug_is_accepted(slug):
    assert problem("project_slug", slug) is None


@pytest.mark.parametrize(("domain", "rule"), BAD_DOMAINS)
def test_a_domain_that_is_not_a_host_name_is_refused(domain, rule):
    assert rule in pre_gen.domain_problem(domain)


@pytest.mark.parametrize("domain", GOOD_DOMAINS)
def test_a_host_name_is_accepted(domain):
    assert pre_gen.domain_problem(domain) is None


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_an_author_email_the_build_backend_would_reject_is_refused(email):
    assert "email address" in pre_gen.email_problem(email)


@pytest.mark.parametrize("email", GOOD_EMAILS)
def test_an_author_email_is_accepted(email):
    assert pre_gen.email_problem(email) is None


# The widest names base.py's one line of Python can hold, escaped, within ruff's 100.
WIDEST_NAMES = ["x" * 60, "🎉" * 43, '"' * 14 + "x" * 2]
BAD_NAMES = [
    ("", "1 to 60 characters"),
    ("   ", "1 to 60 characters"),
    ("x" * 61, "1 to 60 characters"),
    ("🎉" * 44, "escape"),
    ('"' * 15, "escape"),
]


@pytest.mark.parametrize(("name", "rule"), BAD_NAMES)
def test_a_project_name_too_long_for_a_line_of_python_is_refused(name, rule):
    assert rule in pre_gen.name_problem(name)


@pytest.mark.parametrize("name", WIDEST_NAMES)
def test_the_widest_project_names_bake_within_the_line_length(bake, name):
    assert pre_gen.name_problem(name) is None
    project = bake(project_name=name, project_slug="shop")

    result = subprocess.run(
        [python_tool("ruff"), "check", "--select", "E501", "config/settings/base.py"],
        cwd=project.path,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout


def test_main_writes_one_line_per_bad_answer_and_fails(capsys):
    answers = {"project_slug": "django", "domain_name": "Example.com", "author_email": "x@y.z"}
    answers.update(project_name="Shop", _media_options=DEFAULTS["_media_options"])

    assert pre_gen.main(json.dumps(answers)) == 1

    lines = capsys.readouterr().err.splitlines()
    slug, domain = problem("project_slug", "django"), problem("domain_name", "Example.com")
    assert lines == [
        f"error: project_slug 'django' is not allowed: {slug}.",
        f"error: domain_name 'Example.com' is not allowed: {domain}.",
    ]


def test_the_refused_package_names_are_exactly_what_each_project_installs(installed_project):
    lock = tomllib.loads((installed_project.path / "uv.lock").read_text())
    own = pre_gen.distribution(installed_project.path.name)
    locked = {pre_gen.distribution(p["name"]) for p in lock["package"]} - {own}
    packages = set(installed_project.option.data["packages"])

    # Where not: DEPENDENCIES in the hook, or the option's packages in cookiecutter.json.
    assert locked == pre_gen.DEPENDENCIES | packages


def test_the_post_gen_hook_keeps_only_the_chosen_options_files(tmp_path):
    for option in ("local", "s3"):
        (tmp_path / "_media" / option / "config").mkdir(parents=True)
        (tmp_path / "_media" / option / "config" / "media.py").write_text(option)
        # Included into shared files while rendering: none of them stays.
        (tmp_path / "_media" / option / "_fragments").mkdir()
        (tmp_path / "_media" / option / "_fragments" / "compose.yaml").write_text(option)

    (tmp_path / "README.md").write_text("Run it:\n\n```sh\nuv sync\n```\n")

    hook("post_gen_project").main(json.dumps({"media_storage": "s3"}), project=tmp_path)

    # .git too, where git is installed: an empty repository for pre-commit.
    expected = [".env", "README.md", "config"]
    expected = sorted([*expected, ".git"]) if shutil.which("git") else expected
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
    assert (tmp_path / "config" / "media.py").read_text() == "s3"
    assert "DJANGO_SECRET_KEY=" in (tmp_path / ".env").read_text()


def bake_cli(tmp_path, **answers):
    """Run the cookiecutter command as a user would, without prompts."""
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE)]
    command += [f"{key}={value}" for key, value in answers.items()]
    return subprocess.run(
        [*command, "--output-dir", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("project_slug", "django"),
        ("project_slug", "boto3"),  # an s3 package, refused in a local bake too
        ("domain_name", "example.com/"),
        ("author_email", "you"),
    ],
)
def test_the_cli_refuses_a_bad_answer_with_one_line_and_no_directory(tmp_path, answer, value):
    result = bake_cli(tmp_path, **{answer: value})

    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {answer} {value!r} is not allowed: {problem(answer, value)}."]
    assert list(tmp_path.iterdir()) == []


def problem(answer, value):
    return pre_gen.rules(DEFAULTS)[answer](value)


def test_the_cli_bakes_a_name_older_versions_refused(tmp_path):
    result = bake_cli(tmp_path, project_slug="email")

    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["email"]


def test_the_bake_ends_with_the_readmes_commands_to_start_the_project(tmp_path):
    result = bake_cli(tmp_path)

    assert result.returncode == 0, result.stderr
    readme = (tmp_path / "my_project" / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    steps = result.stdout[result.stdout.index("Next, in a shell") :].rstrip()
    assert f"    cd {tmp_path / 'my_project'}\n" in steps
    assert [line.strip() for line in first_block.splitlines()] == [
        line.strip() for line in steps.splitlines()[2:-1]
    ]
    assert "runserver" in first_block and "createsuperuser" in first_block
    assert steps.splitlines()[-1] == "then open http://127.0.0.1:8000/ and log in as admin."


@pytest.mark.parametrize("name", ["🎉🎉", "!!!"])
def test_a_name_with_nothing_to_make_a_slug_from_is_refused_in_the_current_directory(
    tmp_path, name
):
    """The slug is never empty: an empty one would name the output directory itself, and
    cookiecutter would stop at "directory already exists" before the hook could say why."""
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE)]
    result = subprocess.run(
        [*command, f"project_name={name}"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: project_slug '-' is not allowed: {problem('project_slug', '-')}."]
    assert list(tmp_path.iterdir()) == []
