"""What a screen reader gets, from Chromium's accessibility tree, on the production stack."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

RESET_LINK = (
    "from django.contrib.auth.tokens import default_token_generator\n"
    "from django.utils.encoding import force_bytes\n"
    "from django.utils.http import urlsafe_base64_encode\n"
    "from users.models import User\n"
    "user = User.objects.get(username='forgetful')\n"
    "uid = urlsafe_base64_encode(force_bytes(user.pk))\n"
    "print(f'/accounts/reset/{uid}/{default_token_generator.make_token(user)}/')"
)


def test_the_new_password_field_is_described_by_the_password_rules(local_behind_nginx, page):
    stack = local_behind_nginx
    stack.create_users(["forgetful"])
    link = stack.project.manage(
        "shell", "--verbosity", "0", "-c", RESET_LINK, env=stack.env
    ).stdout.strip()

    page.goto(stack.base_url.rstrip("/") + link)
    page.locator("#id_new_password1").wait_for()
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    fields = {
        node["name"]["value"]: node.get("description", {}).get("value", "")
        for node in tree
        if node.get("role", {}).get("value") == "textbox" and "name" in node
    }

    # What a screen reader reads for the field: its name, then its description.
    description = fields["New password:"]
    assert "at least 8 characters" in description
    assert "entirely numeric" in description
    # The rules stay inside the form: a <ul> in a <p> would have been moved out of it.
    assert page.locator("form .helptext ul li").count() >= 3
