"""The one-tag snippet a hospital pastes into its site to show the chat (docs/widget.md), and
that the demo page uses as is: the widget's script with the bot's address and the mode."""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

# "inline": the panel where the tag is; "floating": a button at the bottom right of the page.
MODES = ("inline", "floating")
WIDGET_SCRIPT = "/widget/metastases-chat.js"
# The address docs/widget.md shows.
EXAMPLE_SERVER = "https://bot.example.org"


def snippet(server: str, mode: str = "floating", src: str = WIDGET_SCRIPT) -> str:
    """The <script> tag: `server` is the Rasa server's URL (socket.io), `mode` one of MODES."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if urlsplit(server).scheme not in ("http", "https"):
        raise ValueError(f"the server must be an http:// or https:// URL, not {server!r}")
    return (
        f'<script src="{escape(src)}" data-server="{escape(server)}" '
        f'data-mode="{mode}" defer></script>'
    )
