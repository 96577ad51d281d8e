"""Login throttling through the shipped web servers: failures count by the address the web
server saw, never by what a client writes in X-Forwarded-For."""

import pytest

from support.visitor import PASSWORD, Visitor

pytestmark = [pytest.mark.slow, pytest.mark.e2e, pytest.mark.option("local")]

# Other loopback addresses, so that no other test's client (127.0.0.1) is ever counted.
ATTACKER, USER = "127.0.0.3", "127.0.0.2"


@pytest.mark.parametrize("web_server", ["nginx", "apache"])
def test_failures_count_by_the_address_the_web_server_saw(production_stack, web_server):
    stack = production_stack("local", web_server)
    username = f"throttled-{web_server}"
    stack.create_users([username], password=PASSWORD)
    attacker, user = Visitor(stack, ATTACKER), Visitor(stack, USER)

    tries = []
    for number in range(6):
        # A new forged address each time: were it believed, no count would ever reach 5.
        attacker.session.headers["X-Forwarded-For"] = f"192.0.2.{number}"
        tries.append(attacker.try_log_in(username, "wrong").status_code)
    refused = attacker.try_log_in(username, PASSWORD)

    assert tries == [200] * 4 + [429, 429]
    assert refused.status_code == 429
    assert "Try again in 15 minutes" in refused.text
    assert user.try_log_in(username, PASSWORD).status_code == 302  # elsewhere: not locked
