"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, the real Rasa and
action servers (deploy.processes.Assistant, the model of current_model()), and the demo page
served by web/serve.py. Nothing is skipped: a missing Chromium (`make chromium`) or
web/node_modules fails the setup with the command that fixes it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from deploy.processes import Assistant, current_model, free_port
from tests.browser.support import (
    BOT_TIMEOUT_MS,
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    Chat,
    PageServer,
)
from web.check_vendor import check_vendor

expect.set_options(timeout=BOT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def chromium_path():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is missing ({CHROMIUM}). Install Debian's package: make chromium "
            "(never `playwright install`: it downloads a browser, which this network does not allow).",
            pytrace=False,
        )
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def vendor_ready():
    problem = check_vendor()
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.fixture(scope="session")
def ports():
    return {
        "rasa": free_port(),
        "actions": free_port(),
        "page": free_port(),
        "dead_page": free_port(),
        "dead_rasa": free_port(),
    }


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, ports):
    # CORS for the test pages' origins: the widget falls back to HTTP long-polling, which
    # needs it, when WebSocket fails.
    origins = [f"http://127.0.0.1:{ports[name]}" for name in ("page", "dead_page")]
    work_dir = tmp_path_factory.mktemp("assistant")
    # A private copy: models/ keeps only the newest three, and a test restarts Rasa.
    model = Path(shutil.copy2(current_model(), work_dir))
    running = Assistant(
        model,
        rasa_port=ports["rasa"],
        action_port=ports["actions"],
        work_dir=work_dir,
        cors_origins=origins,
    )
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def page_server(vendor_ready, assistant, ports, tmp_path_factory):
    server = PageServer(
        ports["page"], assistant.url, tmp_path_factory.mktemp("page") / "serve.log"
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dead_page_server(vendor_ready, ports, tmp_path_factory):
    """The demo page pointed at a port where nothing listens (yet)."""
    server = PageServer(
        ports["dead_page"],
        f"http://127.0.0.1:{ports['dead_rasa']}",
        tmp_path_factory.mktemp("dead-page") / "serve.log",
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, request, **context_options):
    context = browser.new_context(locale="fr-FR", **context_options)
    page = context.new_page()
    # Uncaught exceptions of the page (the widget must raise none). Console errors are not
    # collected: Chromium logs each failed connection attempt there, which is expected offline.
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    request.addfinalizer(context.close)
    return page


@pytest.fixture
def page(browser, request):
    """A new browser context (its own sessionStorage: a new patient) at desktop size."""
    return _new_page(browser, request, viewport={"width": 1000, "height": 900})


@pytest.fixture
def mobile_page(browser, request):
    return _new_page(
        browser,
        request,
        viewport={"width": 375, "height": 667},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


@pytest.fixture
def narrow_page(browser, request):
    """320 CSS pixels wide: where WCAG asks the text to reflow without scrolling sideways."""
    return _new_page(browser, request, viewport={"width": 320, "height": 640})


@pytest.fixture
def zoomed_page(browser, request):
    """A 1280 x 900 window zoomed to 200%: 640 x 450 CSS pixels, two device pixels each."""
    return _new_page(
        browser, request, viewport={"width": 640, "height": 450}, device_scale_factor=2
    )


@pytest.fixture
def chat(page, page_server):
    """The demo page, connected, with the bot's welcome shown."""
    chat = Chat(page).open(page_server.url)
    chat.wait_online()
    chat.wait_welcome()
    chat.settle()
    return chat
