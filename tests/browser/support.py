"""Helpers of the browser tests: free ports, the demo page server, a TCP forwarder that
stands in for a server coming back, and a `Chat` wrapper around the widget in a page."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import List

import requests
from PIL import Image
from playwright.sync_api import Page, expect

from assistant.channels.sessions import namespaced
from deploy.settings import PROJECT
from tests.doc_images import DOC_IMAGES

SCREENSHOTS = PROJECT / "results" / "screenshots"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
# How long the bot may take to answer one message (a cold model can be slow on 2 cores).
BOT_TIMEOUT_MS = 45_000
FALLBACK = "Je n'ai pas bien compris"


class PageServer:
    """web/serve.py in a subprocess."""

    def __init__(self, port: int, rasa_url: str, log_path: Path) -> None:
        self.port = port
        self.rasa_url = rasa_url
        self.log_path = log_path
        self.popen: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 15) -> PageServer:
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "web.serve",
                    "--port",
                    str(self.port),
                    "--rasa-url",
                    self.rasa_url,
                    "--verbose",
                ],
                cwd=PROJECT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(
                    f"web/serve.py exited:\n{self.log_path.read_text(errors='replace')}"
                )
            try:
                if requests.get(f"{self.url}healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"web/serve.py not ready on port {self.port}")

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout=10)


class TcpForwarder:
    """Listens on a port and forwards every connection to another one: a server that "comes
    back" on a port that was dead when the page loaded."""

    def __init__(self, listen_port: int, target_port: int) -> None:
        self.listen_port = listen_port
        self.target_port = target_port
        self._server: socket.socket | None = None
        self._sockets: List[socket.socket] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    def start(self) -> TcpForwarder:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.listen_port))
        server.listen(16)
        server.settimeout(0.2)
        self._server = server
        threading.Thread(target=self._accept_loop, daemon=True).start()
        return self

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self._stopped.set()
        if self._server:
            self._server.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.close()
            self._sockets.clear()


def screenshot(page: Page, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def doc_screenshot(page: Page, name: str, full_page: bool = False) -> Path:
    """A screenshot the docs show (tests/doc_images.py), written into docs/images/."""
    DOC_IMAGES.mkdir(parents=True, exist_ok=True)
    path = DOC_IMAGES / name
    page.screenshot(path=str(path), full_page=full_page)
    # 64 colours are plenty for text and flat charts, and keep the repository small.
    Image.open(path).convert("P", palette=Image.ADAPTIVE, colors=64).save(path, optimize=True)
    return path


# Runs inside the page: the widget lives in an open shadow root.
_SHADOW = "document.getElementById('metastases-chat').shadowRoot"


class Chat:
    """The widget in one page. Playwright's CSS locators go through open shadow roots."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.host = page.locator("#metastases-chat")
        self.messages = page.locator(".mc-msg")
        self.bot_messages = page.locator(".mc-msg-bot")
        self.user_messages = page.locator(".mc-msg-user")
        self.input = page.locator(".mc-input")
        self.send_button = page.locator(".mc-send")
        self.new_button = page.get_by_role("button", name="Nouvelle conversation")
        self.retry_button = page.get_by_role("button", name="Réessayer")
        self.status = page.locator(".mc-status")
        self.urgent_banner = page.locator(".mc-urgent-banner")
        self.quick_replies = page.locator(".mc-qr")
        self.typing = page.locator(".mc-typing")
        self.launcher = page.locator(".mc-launcher")
        self.panel = page.locator(".mc-panel")

    def open(self, url: str) -> Chat:
        self.page.goto(url)
        expect(self.host).to_have_attribute("data-connection", re.compile("online|offline"))
        return self

    def open_floating(self, url: str) -> Chat:
        """The demo page in floating mode, then its button clicked: open and connected."""
        self.page.goto(url + "?mode=floating")
        expect(self.launcher).to_be_visible()
        expect(self.host).to_have_attribute("data-connection", "idle")
        self.launcher.click()
        expect(self.panel).to_be_visible()
        expect(self.host).to_have_attribute("data-connection", re.compile("online|offline"))
        return self

    def wait_online(self, timeout: float = BOT_TIMEOUT_MS) -> None:
        expect(self.host).to_have_attribute("data-connection", "online", timeout=timeout)

    def wait_welcome(self) -> None:
        expect(self.bot_messages.first).to_contain_text("Bonjour", timeout=BOT_TIMEOUT_MS)

    def send(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def bot_count(self) -> int:
        return self.bot_messages.count()

    def wait_bot_reply(self, after: int, timeout: float = BOT_TIMEOUT_MS) -> str:
        """Waits for a bot message past the first `after` ones, then for the turn to end;
        returns the text of the new bot messages."""
        self.page.wait_for_function(
            f"n => {_SHADOW}.querySelectorAll('.mc-msg-bot').length > n",
            arg=after,
            timeout=timeout,
        )
        self.settle()
        texts = self.bot_messages.all_inner_texts()[after:]
        return "\n".join(texts)

    def settle(self, quiet_ms: int = 1200) -> None:
        """Waits until no message has been added for `quiet_ms`."""
        self.page.wait_for_function(
            """([quiet]) => {
                const root = SHADOW;
                const n = root.querySelectorAll('.mc-msg').length;
                const now = performance.now();
                if (window.__mcCount !== n) { window.__mcCount = n; window.__mcSince = now; return false; }
                return now - window.__mcSince >= quiet;
            }""".replace("SHADOW", _SHADOW),
            arg=[quiet_ms],
            polling=200,
            timeout=BOT_TIMEOUT_MS,
        )

    def stored(self) -> dict:
        return (
            json.loads(self.page.evaluate("sessionStorage.getItem('metastases-chat:v1')") or "null")
            or {}
        )

    def session_id(self) -> str | None:
        return self.stored().get("sessionId")

    def texts(self) -> List[str]:
        return [t.strip() for t in self.messages.all_inner_texts()]

    def focused(self) -> dict:
        """What has the keyboard focus, through the shadow root."""
        return self.page.evaluate(
            """() => {
                let el = document.activeElement;
                while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
                if (!el) return null;
                const style = getComputedStyle(el);
                return {tag: el.tagName.toLowerCase(), text: (el.textContent || '').trim(),
                        cls: el.className || '', inWidget: el.getRootNode() !== document,
                        outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0};
            }"""
        )


# Runs inside the page: WCAG contrast ratio of every visible text of the widget against the
# background it is drawn on (the first opaque background up the tree).
CONTRAST_JS = """
() => {
  const host = document.getElementById('metastases-chat');
  const root = host.shadowRoot;
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(s => parseFloat(s));
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = ({r, g, b}) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => {
    for (let node = el; node; node = node.parentElement || (node.getRootNode().host || null)) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg && bg.a > 0.99) return bg;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const results = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.textContent.trim() || !el) continue;
    const rect = el.getBoundingClientRect();
    if (!rect.width || !rect.height || !el.checkVisibility()) continue;
    if (el.closest('.mc-sr') || el.closest('[aria-hidden="true"]')) continue;
    const fg = parse(getComputedStyle(el).color), bg = background(el);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    results.push({text: t.textContent.trim().slice(0, 40), cls: el.className, ratio: (l1 + 0.05) / (l2 + 0.05)});
  }
  const input = root.querySelector('.mc-input');
  const ph = getComputedStyle(input, '::placeholder');
  if (ph && ph.color) {
    const fg = parse(ph.color), bg = background(input);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    results.push({text: 'placeholder', cls: 'mc-input::placeholder', ratio: (l1 + 0.05) / (l2 + 0.05)});
  }
  return results;
}
"""


def assert_contrast(page: Page, minimum: float = 4.5) -> int:
    results = page.evaluate(CONTRAST_JS)
    assert results, "no text found in the widget"
    low = [r for r in results if r["ratio"] < minimum]
    assert not low, f"text below {minimum}:1 contrast: {low}"
    return len(results)


def tracker_user_texts(assistant, session_id: str) -> List[str]:
    response = requests.get(
        f"{assistant.url}/conversations/{namespaced('socketio', session_id.split('.')[0])}/tracker",
        params={"token": assistant.token},
        timeout=10,
    )
    response.raise_for_status()
    return [e.get("text") for e in response.json()["events"] if e.get("event") == "user"]
