"""The environment the settings read, naming every missing required variable at once.

django-environ stops at the first missing variable, so a new server would learn them one
run at a time. Settings name what they cannot start without (require), then stop once with
one line that lists every one missing (stop_if_missing), before reading any of them.
"""

import environ
from django.core.exceptions import ImproperlyConfigured


class MissingEnvironment(ImproperlyConfigured):
    """Required environment variables are not set; manage.py prints this as one line."""


class Environment(environ.Env):
    def __init__(self, **scheme):
        super().__init__(**scheme)
        self.missing = []

    def require(self, *names, described=None):
        """Note each name that is not set; described replaces them in the message (for a
        choice between variables)."""
        absent = [name for name in names if not self.ENVIRON.get(name)]
        if absent:
            self.missing.extend([described] if described else absent)

    def stop_if_missing(self):
        if self.missing:
            names = ", ".join(dict.fromkeys(self.missing))
            raise MissingEnvironment(
                f"Set these environment variables (.env.example describes each): {names}"
            )
