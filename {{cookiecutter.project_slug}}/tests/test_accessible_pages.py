"""Pages people with any ability can use: the password rules reach screen readers, form
fields can be seen, and the admin shows an avatar as the picture it is."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from images import photo, upload

from users.models import User

pytestmark = pytest.mark.django_db

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"


class Outline(HTMLParser):
    """Each element's text by id, each input's attributes, and every list found in a
    paragraph or a span (which a browser would break out of the page's structure)."""

    PHRASING = {"p", "span"}

    def __init__(self):
        super().__init__()
        self.open, self.texts, self.inputs, self.misplaced = [], {}, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input":
            self.inputs.append(attrs)
            return
        if tag in ("ul", "ol", "div") and self.PHRASING & {t for t, _ in self.open}:
            self.misplaced.append(tag)
        self.open.append((tag, attrs.get("id")))
        if attrs.get("id"):
            self.texts[attrs["id"]] = ""

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for _, element_id in self.open:
            if element_id:
                self.texts[element_id] += data


def reset_confirm_page(client):
    User.objects.create_user("ada", "ada@example.com", "the-old-password")
    client.post(reverse("password_reset"), {"email": "ada@example.com"})
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    return client.get(link, follow=True).content.decode()


def test_the_reset_confirm_page_announces_the_password_rules_with_its_field(client):
    page = Outline()
    page.feed(reset_confirm_page(client))

    assert page.misplaced == []
    new_password = next(a for a in page.inputs if a.get("name") == "new_password1")
    rules = page.texts[new_password["aria-describedby"]]
    assert "at least 8 characters" in rules
    assert "entirely numeric" in rules


def contrast(colour, background="#ffffff"):
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_form_field_borders_have_three_to_one_contrast_against_white():
    css = CSS.read_text()
    rule = re.search(r"input\[type=text\][^{]*\{([^}]*)\}", css).group(1)
    variable = re.search(r"border: 1px solid var\((--[\w-]+)\)", rule).group(1)
    colour = re.search(rf"{variable}: (#[0-9a-f]+)\b", css).group(1)

    assert contrast(colour) >= 3


def test_the_admin_shows_the_avatar_as_a_picture(admin_client, admin_user):
    admin_user.avatar.save("me.jpg", upload(photo()))

    page = admin_client.get(reverse("admin:users_user_change", args=[admin_user.pk]))

    assert f'<img src="{admin_user.avatar.url}"' in page.content.decode()
