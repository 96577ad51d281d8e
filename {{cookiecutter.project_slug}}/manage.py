#!/usr/bin/env python
"""Django's command-line utility, with development settings unless told otherwise."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    from config.environment import MissingEnvironment

    try:
        execute_from_command_line(sys.argv)
    except MissingEnvironment as error:
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()
