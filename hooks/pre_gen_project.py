"""Refuse answers that would bake a broken project, before any file is written.

Each rule refuses exactly what would break something, and says what: one line naming the
answer, its value and the rule. cookiecutter then removes the half-made project directory.
The rules are plain functions, so the template's tests call them directly.
"""

import json
import re
import sys
import unicodedata
from functools import partial

# The slug names the project's directory, its Python distribution, its Docker image, and
# its PostgreSQL role and database in .env.example: unquoted SQL identifiers are at most 63
# characters, and a distribution name starts and ends with a letter or digit.
SLUG = re.compile(r"[a-z]([a-z0-9_]{0,61}[a-z0-9])?")

# Every distribution the project installs whatever its media option, dev group included (its
# uv.lock); each option's own are its "packages" in cookiecutter.json's _media_options. A
# project of the same name shadows it, and installing fails: "your project's requirements are
# unsatisfiable". The template's tests compare these with each option's uv.lock.
DEPENDENCIES = {
    "a2wsgi",
    "asgiref",
    "async-timeout",
    "brotli",
    "click",
    "colorama",
    "django",
    "django-axes",
    "django-environ",
    "granian",
    "iniconfig",
    "packaging",
    "pillow",
    "pillow-heif",
    "pluggy",
    "psycopg",
    "psycopg-binary",
    "pygments",
    "pytest",
    "pytest-django",
    "redis",
    "ruff",
    "sqlparse",
    "typing-extensions",
    "tzdata",
    "whitenoise",
}

HOST_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
# What the build backend accepts in pyproject.toml's authors (an "idn-email"), without
# spaces, which would break the package metadata.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def distribution(name):
    """A distribution name as installers compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def installed(answers):
    """Every distribution a project of these answers might install: the slug may name none,
    whichever media option was chosen, so the project can move to another (copy_media)."""
    options = answers["_media_options"].values()
    return DEPENDENCIES | {distribution(name) for option in options for name in option["packages"]}


def slug_problem(slug, installed=DEPENDENCIES):
    if slug == "-":  # cookiecutter.json's slug of a name with no letter or digit
        return "the project name has no letter or digit to make it from: give project_slug too"
    if not SLUG.fullmatch(slug):
        return (
            "it names the directory, the Python distribution and the PostgreSQL database, so "
            "it must be 1 to 63 of a-z, 0-9 and _, start with a letter and not end with _"
        )
    if distribution(slug) in installed:
        return f"the project installs a package named {distribution(slug)!r}, which it would shadow"
    return None


def domain_problem(domain):
    if not domain or len(domain) > 253:
        return "a host name has 1 to 253 characters"
    labels = domain.split(".")
    if not all(HOST_LABEL.fullmatch(label) for label in labels):
        return (
            "a host name is lower-case labels of a-z, 0-9 and '-' separated by dots, "
            "with no scheme, port, path or space"
        )
    if labels[-1].isdigit():
        return "a host name ends in a name, not a number (IP addresses are not domains)"
    return None


def email_problem(email):
    if not EMAIL.fullmatch(email):
        return "pyproject.toml needs an email address such as you@example.com"
    return None


def name_problem(name):
    # It heads every page, and base.py holds it as one line of Python, escaped (a quote
    # takes 6 characters, an emoji is 2 wide): ruff's limit of 100 must hold.
    if not name.strip() or len(name) > 60:
        return "a project name has 1 to 60 characters"
    literal = json.dumps(name, ensure_ascii=False)[1:-1].replace('"', "u0022")
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in literal)
    if width > 100 - len('SITE_NAME = ""'):
        return "it holds too many characters that Python must escape"
    return None


RULES = {
    "project_name": name_problem,
    "project_slug": slug_problem,
    "domain_name": domain_problem,
    "author_email": email_problem,
}


def rules(answers):
    """RULES, with the slug's refusing every package of every media option."""
    return {**RULES, "project_slug": partial(slug_problem, installed=installed(answers))}


def problems(answers):
    """One line for each answer that breaks a rule."""
    return [
        f"error: {name} {answers[name]!r} is not allowed: {problem}."
        for name, rule in rules(answers).items()
        if (problem := rule(answers[name]))
    ]


def main(rendered=r"""{{ cookiecutter | jsonify }}"""):
    found = problems(json.loads(rendered))
    sys.stderr.writelines(line + "\n" for line in found)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
