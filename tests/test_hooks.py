"""Bad answers stop the bake with one clear line and leave nothing behind."""

import subprocess
import sys

import pytest

from conftest import TEMPLATE

BAD_ANSWERS = [
    ("project_slug", "My_Project", "lower-case Python identifier"),
    ("project_slug", "2fast", "lower-case Python identifier"),
    ("project_slug", "my-project", "lower-case Python identifier"),
    ("project_slug", "café", "lower-case Python identifier"),
    ("project_slug", "class", "Python keyword"),
    ("project_slug", "django", "shadow a module"),
    ("project_slug", "config", "shadow a module"),
    ("project_slug", "users", "shadow a module"),
    ("project_slug", "test", "shadow a module"),
    ("project_slug", "site", "shadow a module"),
    ("project_slug", "email", "shadow a module"),
    ("domain_name", "https://example.com", "host name"),
    ("domain_name", "example.com/", "host name"),
    ("domain_name", "example.com:8000", "host name"),
    ("domain_name", "exa mple.com", "host name"),
    ("domain_name", "-example.com", "host name"),
    ("domain_name", "example..com", "host name"),
    ("domain_name", "Example.com", "host name"),
    ("domain_name", "192.168.0.1", "not a number"),
    ("domain_name", "", "host name"),
    ("domain_name", "a" * 64 + ".com", "host name"),
]


def bake_cli(tmp_path, **answers):
    """Run the cookiecutter command as a user would, without prompts."""
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE)]
    command += [f"{key}={value}" for key, value in answers.items()]
    return subprocess.run(
        [*command, "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(("answer", "value", "rule"), BAD_ANSWERS)
def test_a_bad_answer_is_refused_with_one_line_and_no_directory(tmp_path, answer, value, rule):
    result = bake_cli(tmp_path, **{answer: value})

    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: {answer} {value!r} is not allowed: ")
    assert rule in errors[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("project_slug", "shop_2024"),
        ("domain_name", "www.example.co.uk"),
        ("domain_name", "xn--caf-dma.example"),
        ("domain_name", "localhost"),
    ],
)
def test_good_answers_pass_the_hook(tmp_path, answer, value):
    result = bake_cli(tmp_path, **{answer: value})

    assert result.returncode == 0, result.stderr
    assert len(list(tmp_path.iterdir())) == 1
