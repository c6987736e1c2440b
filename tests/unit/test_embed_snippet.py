"""The embed snippet: one <script> tag with data- attributes, the one docs/widget.md shows and
the demo page serves, for both modes; bad values are refused clearly."""

from __future__ import annotations

import re
import threading
from http.server import ThreadingHTTPServer

import pytest
import requests

from deploy.settings import PROJECT
from web.embed import EXAMPLE_SERVER, MODES, snippet
from web.serve import make_handler

BOT = "http://127.0.0.1:5999"


@pytest.fixture(scope="module")
def demo_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(BOT))
    server.daemon_threads = True
    server.verbose = False  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_the_snippet_is_one_script_tag_with_the_server_and_the_mode():
    assert snippet(EXAMPLE_SERVER, "floating") == (
        '<script src="/widget/metastases-chat.js" data-server="https://bot.example.org" '
        'data-mode="floating" defer></script>'
    )
    assert 'data-mode="inline"' in snippet(EXAMPLE_SERVER, "inline")
    # An address with quotes cannot break out of the attribute.
    assert 'data-server="https://x.org/?a=&quot;&gt;&lt;script&gt;"' in snippet(
        'https://x.org/?a="><script>', "inline"
    )


@pytest.mark.parametrize(
    ("server", "mode", "message"),
    [
        (EXAMPLE_SERVER, "popup", "mode must be one of inline, floating"),
        ("javascript:alert(1)", "inline", "http:// or https://"),
        ("bot.example.org", "inline", "http:// or https://"),
    ],
)
def test_bad_values_are_refused(server, mode, message):
    with pytest.raises(ValueError, match=message):
        snippet(server, mode)


def test_the_docs_show_the_snippet_for_both_modes():
    docs = (PROJECT / "docs" / "widget.md").read_text(encoding="utf-8")
    for mode in MODES:
        assert snippet(EXAMPLE_SERVER, mode) in docs, mode


@pytest.mark.parametrize(("query", "mode"), [("", "inline"), ("?mode=floating", "floating")])
def test_the_demo_page_uses_exactly_that_snippet(demo_url, query, mode):
    response = requests.get(demo_url + query, timeout=5)
    assert response.status_code == 200
    page = response.text
    assert snippet(BOT, mode) in page
    # Nothing else configures or loads the widget: no other script, no inline script.
    assert re.findall(r"<script\b[^>]*>", page) == [snippet(BOT, mode).removesuffix("</script>")]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_demo_page_refuses_an_unknown_mode(demo_url):
    response = requests.get(demo_url + "?mode=popup", timeout=5)
    assert response.status_code == 400
    assert response.text == "Mode inconnu : inline ou floating.\n"
    assert requests.get(demo_url + "config.js", timeout=5).status_code == 404
