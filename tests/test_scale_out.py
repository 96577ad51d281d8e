"""Past one machine: two app servers behind one nginx, sharing PostgreSQL, Redis and the s3
option's bucket, and nothing else (support.scale_out)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from support.images import png
from support.visitor import PASSWORD, Visitor

pytestmark = [pytest.mark.slow, pytest.mark.e2e, pytest.mark.option("s3")]

REQUESTS = 6  # enough for nginx's round robin to reach both servers several times


@pytest.fixture(scope="module")
def site(scaled_out):
    """The stack, with a user who uploaded an avatar through it."""
    machine = scaled_out.machines[0]
    users = "from users.models import User\nfor n in ('ada', 'bob'):\n"
    users += f"    User.objects.create_user(n, password={PASSWORD!r})"
    machine.manage("shell", "-v0", "-c", users)
    return scaled_out


def answered_by(site, before):
    """The app servers that answered requests after the first `before` ones."""
    ports = {machine.port: machine.name for machine in site.machines}
    return {ports[port] for port in site.upstreams()[before:]}


def test_an_avatar_uploaded_through_one_server_shows_on_pages_from_either(site):
    visitor = Visitor(site)
    visitor.log_in("ada")
    content = png((30, 120, 200))
    before = len(site.upstreams())

    uploaded = visitor.upload(content)
    sources = [visitor.avatar_src() for _ in range(REQUESTS)]

    assert uploaded.status_code == 302
    assert answered_by(site, before) == {"one", "two"}
    # One object, whichever server signed the link (signatures differ by the second).
    assert len({urlsplit(source).path for source in sources}) == 1
    assert visitor.get_media(sources[0]).status_code == 200


def test_a_session_holds_whichever_server_answers(site):
    visitor = Visitor(site)
    visitor.log_in("bob")
    before = len(site.upstreams())

    pages = [visitor.get("/profile/").status_code for _ in range(REQUESTS)]

    assert pages == [200] * REQUESTS
    assert answered_by(site, before) == {"one", "two"}


def test_failed_logins_count_across_servers_and_the_sixth_is_refused(site):
    visitor = Visitor(site)
    before = len(site.upstreams())

    tries = [visitor.try_log_in("ada", "wrong").status_code for _ in range(6)]

    assert tries == [200] * 4 + [429, 429]
    assert answered_by(site, before) == {"one", "two"}


def test_the_site_works_through_one_server_while_the_other_is_stopped(site):
    visitor = Visitor(site)
    stopped = site.machines[1]
    stopped.stop()
    try:
        before = len(site.upstreams())
        pages = [visitor.get("/").status_code for _ in range(REQUESTS)]
        assert pages == [200] * REQUESTS
        assert answered_by(site, before) == {"one"}
    finally:
        stopped.start()


def test_the_media_commands_give_the_same_answer_from_either_server(site):
    answers = [
        [machine.manage(*command).stdout for machine in site.machines]
        for command in (("orphaned_media",), ("copy_media", "default", "disk"))
    ]

    for first, second in answers:
        assert first == second


def test_migrate_from_both_servers_at_once_leaves_a_complete_schema(site):
    """Django takes no lock for migrate: one run may fail on the other's table, but each
    migration is one transaction on PostgreSQL, so nothing is left half made, and a run
    again completes what is left."""
    fresh = {"DATABASE_URL": site.postgres.database("fresh")}
    start = threading.Barrier(len(site.machines))

    def migrate(machine):
        start.wait(timeout=30)
        return machine.manage("migrate", "--noinput", check=False, env=fresh)

    with ThreadPoolExecutor(len(site.machines)) as pool:
        results = list(pool.map(migrate, site.machines))
    site.machines[0].manage("migrate", "--noinput", env=fresh)
    complete = site.machines[0].manage("migrate", "--check", check=False, env=fresh)

    assert any(result.returncode == 0 for result in results)
    assert complete.returncode == 0, complete.stdout + complete.stderr
