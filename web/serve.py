#!/usr/bin/env python3
"""Serves the chat widget and its demo page (standard library only).

    python -m web.serve --port 8080 --rasa-url http://localhost:5005
    python -m web.serve --export /var/www/site/widget   # writes the 4 files a site needs

Routes (nothing else is served, so web/node_modules and this script stay private):
    /                       the demo page (web/demo/index.html); /?mode=floating for the
                            floating button instead of the embedded panel
    /demo/demo.css          the demo page's stylesheet
    /config.js              window.MetastasesChatConfig with the --rasa-url given here
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
from urllib.parse import urlsplit

from content import WIDGET_TEXTS, read_yaml
from web.check_vendor import SOCKET_IO_DIST, check_vendor

WEB = Path(__file__).resolve().parent
TEXTS_ROUTE = "/widget/metastases-chat-texts.js"

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".map": "application/json; charset=utf-8",
}

FILES = {
    "/": WEB / "demo" / "index.html",
    "/index.html": WEB / "demo" / "index.html",
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
    texts = read_yaml(WIDGET_TEXTS)
    return (
        "// Written by web/serve.py from content/widget.yml: edit that file, not this one.\n"
        f"window.MetastasesChatTexts = {js_literal(texts)};\n"
    ).encode()


def config_script(rasa_url: str, title: str | None) -> bytes:
    config = {"rasaUrl": rasa_url, "container": "#assistant"}
    if title:
        config["title"] = title
    return (
        "// Written by web/serve.py.\n"
        f"window.MetastasesChatConfig = Object.assign({js_literal(config)}, "
        "window.MetastasesChatConfig || {});\n"
        "if (/[?&]mode=floating(&|$)/.test(window.location.search)) {\n"
        "  delete window.MetastasesChatConfig.container;\n"
        "  window.MetastasesChatConfig.startOpen = true;\n"
        "}\n"
    ).encode()


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


def make_handler(rasa_url: str, title: str | None):
    config_body = config_script(rasa_url, title)
    texts_body = texts_script()
    csp = content_security_policy(rasa_url)

    class Handler(BaseHTTPRequestHandler):
        server_version = "metastases-chat-demo"
        sys_version = ""

        def _send(self, status: int, body: bytes, content_type: str, head_only: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            if not head_only:
                self.wfile.write(body)

        def _serve(self, head_only: bool) -> None:
            path = urlsplit(self.path).path
            if path == "/config.js":
                return self._send(200, config_body, TYPES[".js"], head_only)
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


def export(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for route in EXPORTED:
        shutil.copyfile(FILES[route], target / Path(route).name)
        print(target / Path(route).name)
    (target / Path(TEXTS_ROUTE).name).write_bytes(texts_script())
    print(target / Path(TEXTS_ROUTE).name)


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
    parser.add_argument("--title", default=None, help="the widget's title")
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
        export(args.export)
        return 0
    if urlsplit(args.rasa_url).scheme not in ("http", "https"):
        parser.error("--rasa-url must start with http:// or https://")

    server = ThreadingHTTPServer((args.host, args.port), make_handler(args.rasa_url, args.title))
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
