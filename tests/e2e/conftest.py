"""Browser tests: Playwright drives Debian's Chromium (headless) against a live server.

They skip with a clear message where Chromium or Playwright is missing, and fail instead when
``REQUIRE_BROWSER=1`` (CI sets it). ``CHROMIUM_PATH`` points at another Chromium binary.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
import time

import pytest
from PIL import Image
from werkzeug.serving import make_server

# How long an action may wait (a click whose request resizes a 12-megapixel photo, say). A
# failure detector, not a speed target: a machine its tests share with other work is slow.
ACTION_TIMEOUT_MS = 30_000
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or next(
        (
            path
            for name in ("chromium", "chromium-browser", "google-chrome")
            if (path := shutil.which(name))
        ),
        None,
    )


def _unavailable(reason: str):
    message = f"browser tests need Chromium and Playwright: {reason}"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if executable is None:
        _unavailable("no chromium binary found (apt install chromium, or set CHROMIUM_PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["SITE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(params=["phone", "desktop"])
def viewport(request) -> dict:
    return PHONE if request.param == "phone" else DESKTOP


@pytest.fixture
def page(browser, live_server, viewport):
    context = browser.new_context(
        viewport=viewport,
        locale="id-ID",
        base_url=live_server,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
    )
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert errors == [], f"the browser reported errors: {errors}"


def fits_the_screen(page) -> bool:
    """No horizontal scrolling: the page is usable at this width. Compared with the screen, not
    the window: a phone widens its layout viewport to fit content that overflows (and zooms out).
    Measured once the page has loaded: before its stylesheet applies, a page that a script
    navigated to can show its text unstyled (and wider) on a busy machine."""
    page.wait_for_load_state("load")
    return page.evaluate(
        "document.documentElement.scrollWidth <= Math.min(window.innerWidth, screen.width) + 1"
    )


def mail_to(outbox: list, address: str, timeout: float = 30):
    """The latest message to ``address``. The server sends mail once the response has gone out,
    so the browser can show the page a moment before the message is there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [message for message in outbox if message["To"] == address]
        if found:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError(f"no mail to {address} within {timeout} s")


def open_menu(page) -> None:
    """On a phone the navigation hides behind the Menu button."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


@pytest.fixture
def logo_file(tmp_path):
    path = tmp_path / "logo.jpg"
    Image.new("RGB", (640, 480), (158, 63, 30)).save(path, "JPEG")
    return path


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG")
    return out.getvalue()


def pytest_collection_modifyitems(items):
    """The threaded test server may leave a static file open when the browser drops a connection."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
            )
