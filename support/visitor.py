"""One user's browser session against a running stack, as plain HTTP."""

import html
import re
from urllib.parse import urljoin, urlsplit

import requests

# The password of the users tests make for visitors (Stack.create_users(..., password=)).
PASSWORD = "a-long-user-password"


class FromAddress(requests.adapters.HTTPAdapter):
    """Connections from another loopback address (127.0.0.2, ...): another client, as the
    server sees it."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)


class Visitor:
    """One user's browser session, as plain HTTP: cookies, CSRF token, Referer; from address,
    if given, instead of 127.0.0.1."""

    def __init__(self, stack, address=None):
        self.base = stack.base_url
        self.session = requests.Session()
        self.session.trust_env = False  # loopback only: no proxy, no CA bundle from the env
        self.session.verify = str(stack.certificates)  # the test's own
        if address:
            self.session.mount("https://", FromAddress(address))

    def get(self, path):
        return self.session.get(urljoin(self.base, path), timeout=60, allow_redirects=False)

    def post(self, path, **kwargs):
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.session.post(
            urljoin(self.base, path),
            data={"csrfmiddlewaretoken": token, **kwargs.pop("data", {})},
            headers={"Referer": urljoin(self.base, path)},
            timeout=60,
            allow_redirects=False,
            **kwargs,
        )

    def log_in(self, username, password=PASSWORD):
        response = self.try_log_in(username, password)
        assert response.status_code == 302, response.text

    def try_log_in(self, username, password):
        return self.post("/accounts/login/", data={"username": username, "password": password})

    def use_session(self, key):
        self.session.cookies.set("sessionid", key, domain=urlsplit(self.base).hostname)

    def upload(self, content, name="avatar.png"):
        return self.post("/profile/", files={"avatar": (name, content, "image/png")})

    def avatar_src(self):
        found = re.search(r'<img src="([^"]+)"', self.get("/profile/").text)
        return html.unescape(found.group(1)) if found else None

    def get_media(self, src):
        return self.session.get(urljoin(self.base, src), timeout=60)

    def upload_private(self, content, name):
        return self.post("/files/", files={"file": (name, content, "application/octet-stream")})

    def private_links(self):
        """The download links of the Files page, by file name."""
        page = self.get("/files/").text
        found = re.findall(r'<a href="(/files/[^"]+/)" download>([^<]+)</a>', page)
        return {html.unescape(name): link for link, name in found}
