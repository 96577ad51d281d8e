"""Debian's Chromium, driven by Playwright, headless and with no traffic of its own."""

from urllib.parse import urlsplit

from .project import ADMIN, PASSWORD
from .tools import MissingTool, debian_tool

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The domain the bakes answer with is this machine, as a server's DNS record would make it.
    "--host-resolver-rules=MAP example.com 127.0.0.1",
]


def launch(playwright):
    return playwright.chromium.launch(executable_path=debian_tool("chromium"), args=ARGS)


def sync_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as missing:
        raise MissingTool("playwright is not installed: pip install -e . --group test") from missing
    return sync_playwright()


def log_in(page, base_url, username=ADMIN, password=PASSWORD):
    """Log in on the site's login page; the browser lands on the profile."""
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert urlsplit(page.url).path == "/profile/", page.content()


def upload_avatar(page, path):
    """Upload an image on /profile/; return the src of the avatar once the browser shows it."""
    page.set_input_files("input[name=avatar]", str(path))
    with page.expect_navigation():
        page.click("main form[enctype] button[type=submit]")
    shown = page.wait_for_function(
        "() => { const img = document.querySelector('img.avatar');"
        " return img && img.complete && img.naturalWidth > 0 && img.src; }"
    )
    return shown.json_value()


def browser_get(page, url):
    """GET with the browser's cookies, outside the page (no CORS), without following redirects."""
    return page.context.request.get(url, max_redirects=0)
