"""The project's storage.* system check messages, for the tests of the checks."""

from django.core.checks import run_checks


def storage_messages(deploy=False):
    """The project's own storage.* messages, exactly as `manage.py check` would run them."""
    messages = run_checks(include_deployment_checks=deploy)
    return [m for m in messages if m.id.startswith("storage.")]


def ids(messages):
    return [m.id for m in messages]


def only(messages, check_id, *words):
    """The single message with check_id; its text names every word given."""
    assert ids(messages) == [check_id], [str(m) for m in messages]
    for word in words:
        assert word in messages[0].msg
    assert messages[0].hint
    return messages[0]
