"""Refuse answers that would bake a broken project, before any file is written.

Each rule fails with one line that names the value and the rule; cookiecutter then
removes the half-made project directory.
"""

import json
import keyword
import re
import sys

ANSWERS = json.loads(r"""{{ cookiecutter | jsonify }}""")

# Top-level modules the baked project imports or ships; a project named after one
# would shadow it on sys.path.
PROJECT_MODULES = {
    "boto3",
    "botocore",
    "config",
    "django",
    "environ",
    "granian",
    "manage",
    "PIL",
    "psycopg",
    "pytest",
    "pytest_django",
    "storage_checks",
    "storages",
    "templates",
    "test",
    "tests",
    "users",
    "whitenoise",
}

HOST_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")


def slug_problem(slug):
    if not slug.isidentifier() or not slug.isascii() or slug != slug.lower():
        return "it must be a lower-case Python identifier (a-z, 0-9, _; no leading digit)"
    if keyword.iskeyword(slug):
        return "it is a Python keyword"
    if slug in PROJECT_MODULES or slug in sys.stdlib_module_names:
        return "it would shadow a module the project imports"
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


def main():
    problems = [
        (name, ANSWERS[name], problem(ANSWERS[name]))
        for name, problem in (("project_slug", slug_problem), ("domain_name", domain_problem))
    ]
    for name, value, problem in problems:
        if problem:
            sys.stderr.write(f"error: {name} {value!r} is not allowed: {problem}.\n")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
