"""Debian's Chromium, driven by Playwright, headless and with no traffic of its own."""

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
]


def launch(playwright):
    return playwright.chromium.launch(executable_path=debian_tool("chromium"), args=ARGS)


def sync_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as missing:
        raise MissingTool("playwright is not installed: pip install -e . --group test") from missing
    return sync_playwright()
