#!/usr/bin/env python3
"""Serves the chat widget and its demo page (standard library only).

    python -m web.serve --port 8080 --rasa-url http://localhost:5005
    python -m web.serve --export /var/www/site/widget   # writes the 4 files a site needs

Routes (nothing else is served, so web/node_modules and this script stay private):
    /                       the demo page (web/demo/index.html) with the embed snippet of
                            web/embed.py for --rasa-url: the inline panel, or with
                            /?mode=floating the floating button
    /demo/demo.css          the demo page's stylesheet
    /widget/metastases-chat.js, /widget/metastases-chat.css
    /widget/metastases-chat-texts.js the widget's texts, written from content/widget.yml
    /widget/socket.io.min.js(.map)   socket.io-client's browser build, from web/node_modules
                                     (install it with `npm ci --prefix web`)
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import List
from urllib.parse import parse_qs, urlsplit

from assistant.channels.limits import MAX_MESSAGE_CHARS
from content import WIDGET_TEXTS, read_yaml
from web.check_vendor import SOCKET_IO_DIST, check_vendor
from web.embed import MODES, snippet

WEB = Path(__file__).resolve().parent
TEXTS_ROUTE = "/widget/metastases-chat-texts.js"
DEMO_PAGE = WEB / "demo" / "index.html"
# Where the demo page takes the embed snippet.
SNIPPET_MARK = "<!-- embed snippet -->"

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".map": "application/json; charset=utf-8",
}

FILES = {
    "/demo/demo.css": WEB / "demo" / "demo.css",
    "/widget/metastases-chat.js": WEB / "widget" / "metastases-chat.js",
    "/widget/metastases-chat.css": WEB / "widget" / "metastases-chat.css",
    "/widget/socket.io.min.js": SOCKET_IO_DIST / "socket.io.min.js",
    "/widget/socket.io.min.js.map": SOCKET_IO_DIST / "socket.io.min.js.map",
}

# What a hospital site copies into its own /widget/ folder, with the texts script.
EXPORTED = ["/widget/metastases-chat.js", "/widget/metastases-chat.css", "/widget/socket.io.min.js"]


def js_literal(value) -> str:
    """JSON that is also safe inside a script (no </script>, no U+2028)."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def texts_script() -> bytes:
    """The widget's reviewed texts (content/widget.yml) as a script."""
    texts = {**read_yaml(WIDGET_TEXTS), "limits": {"maxMessageChars": MAX_MESSAGE_CHARS}}
    return (
        "// Written by web/serve.py from content/widget.yml: edit that file, not this one.\n"
        f"window.MetastasesChatTexts = {js_literal(texts)};\n"
    ).encode()


def demo_page(rasa_url: str, mode: str) -> bytes:
    """The demo page with the embed snippet a hospital would paste, for this bot and mode."""
    page = DEMO_PAGE.read_text(encoding="utf-8")
    return page.replace(SNIPPET_MARK, snippet(rasa_url, mode)).encode()


def content_security_policy(rasa_url: str) -> str:
    """Only this server's files, and connections to the bot (HTTP polling and WebSocket)."""
    parts = urlsplit(rasa_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    ws = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
        f"connect-src 'self' {origin} {ws}; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )


# Idle connections are closed after this many seconds: half-open requests cannot hold threads.
IDLE_TIMEOUT_SECONDS = 10


def make_handler(rasa_url: str, idle_timeout: float = IDLE_TIMEOUT_SECONDS):
    pages = {mode: demo_page(rasa_url, mode) for mode in MODES}
    texts_body = texts_script()
    csp = content_security_policy(rasa_url)

    class Handler(BaseHTTPRequestHandler):
        server_version = "metastases-chat-demo"
        sys_version = ""
        # A connection that sends nothing for this long is closed (its thread freed).
        timeout = idle_timeout

        def end_headers(self) -> None:
            # On every response, the errors Python's server writes itself included.
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("X-Frame-Options", "DENY")
            self.send_header("Content-Security-Policy", csp)
            super().end_headers()

        def _send(self, status: int, body: bytes, content_type: str, head_only: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head_only:
                self.wfile.write(body)

        def _serve(self, head_only: bool) -> None:
            url = urlsplit(self.path)
            path = url.path
            if path in ("/", "/index.html"):
                mode = parse_qs(url.query).get("mode", ["inline"])[0]
                if mode not in pages:
                    return self._send(
                        400,
                        f"Mode inconnu : {' ou '.join(MODES)}.\n".encode(),
                        "text/plain; charset=utf-8",
                        head_only,
                    )
                return self._send(200, pages[mode], TYPES[".html"], head_only)
            if path == TEXTS_ROUTE:
                return self._send(200, texts_body, TYPES[".js"], head_only)
            if path == "/healthz":
                return self._send(200, b"ok\n", "text/plain; charset=utf-8", head_only)
            file = FILES.get(path)
            if file is None or not file.is_file():
                return self._send(
                    404, b"Page introuvable.\n", "text/plain; charset=utf-8", head_only
                )
            self._send(
                200,
                file.read_bytes(),
                TYPES.get(file.suffix, "application/octet-stream"),
                head_only,
            )

        def do_GET(self) -> None:
            self._serve(head_only=False)

        def do_HEAD(self) -> None:
            self._serve(head_only=True)

        def log_message(self, format: str, *args) -> None:
            if self.server.verbose:  # type: ignore[attr-defined]
                super().log_message(format, *args)

    return Handler


def export_widget(target: Path) -> List[Path]:
    """Copies the widget's files, its texts script included, into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for route in EXPORTED:
        shutil.copyfile(FILES[route], target / Path(route).name)
        written.append(target / Path(route).name)
    (target / Path(TEXTS_ROUTE).name).write_bytes(texts_script())
    return [*written, target / Path(TEXTS_ROUTE).name]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument(
        "--rasa-url",
        default="http://localhost:5005",
        help="the Rasa server the page connects to (socket.io on /socket.io)",
    )
    parser.add_argument(
        "--export", metavar="DIR", type=Path, help="copy the widget's files into DIR and exit"
    )
    parser.add_argument("--verbose", action="store_true", help="log each request")
    args = parser.parse_args(argv)

    problem = check_vendor()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    if args.export:
        for path in export_widget(args.export):
            print(path)
        return 0
    if urlsplit(args.rasa_url).scheme not in ("http", "https"):
        parser.error("--rasa-url must start with http:// or https://")

    server = ThreadingHTTPServer((args.host, args.port), make_handler(args.rasa_url))
    server.daemon_threads = True
    server.verbose = args.verbose  # type: ignore[attr-defined]
    print(
        f"Demo page: http://{'localhost' if args.host == '127.0.0.1' else args.host}:{server.server_port}/ "
        f"(bot: {args.rasa_url})",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
