"""Each log line once: every logger reaches the root's one console handler, and only it."""

LOG_AS_DJANGO_AND_THE_APP = """
import logging
logging.getLogger("django.request").warning("Not Found: /nowhere/")
logging.getLogger("django.server").info('"GET / HTTP/1.1" 200 901')
logging.getLogger("users.uploads").error("Storing the avatar of user 1 failed")
"""


def test_development_prints_each_log_line_once(run_django):
    result = run_django(LOG_AS_DJANGO_AND_THE_APP, "config.settings.dev")

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "WARNING django.request: Not Found: /nowhere/",
        'INFO django.server: "GET / HTTP/1.1" 200 901',
        "ERROR users.uploads: Storing the avatar of user 1 failed",
    ]
