"""Headless Debian Chromium driven by Playwright against pytest-django's live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("SUKARELA_CHROMIUM", "/usr/bin/chromium"))
# As root Chromium needs --no-sandbox; the rest keep it off this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls that
    # fixtures make beside it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must install the Debian package 'chromium'")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium); CI runs these tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def phone(browser, live_server):
    """A 360-px-wide phone screen, as the cheapest field phones have."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
