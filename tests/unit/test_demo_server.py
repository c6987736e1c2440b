"""The demo page server: security headers on every response, errors included, and idle
connections closed."""

import socket
import threading
from http.server import ThreadingHTTPServer

import pytest
import requests

from web.serve import make_handler

HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler("http://localhost:5005", 0.5))
    httpd.daemon_threads = True
    httpd.verbose = False  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def url(server, path="/"):
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


@pytest.mark.parametrize(
    "method, path",
    [("GET", "/"), ("GET", "/nowhere"), ("GET", "/?mode=bad"), ("POST", "/"), ("DELETE", "/")],
)
def test_every_response_has_the_security_headers(server, method, path):
    response = requests.request(method, url(server, path), timeout=10)
    assert all(header in response.headers for header in HEADERS), (
        response.status_code,
        response.headers,
    )


def test_a_malformed_request_line_gets_the_headers_too(server):
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as sock:
        sock.sendall(b"GET /" + b"x" * 70_000 + b" HTTP/1.1\r\n\r\n")  # 414
        answer = sock.recv(65536).decode(errors="replace")
    assert answer.startswith("HTTP/1.") and "Content-Security-Policy" in answer


def test_an_idle_connection_is_closed_by_the_server(server):
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=30) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n")  # never finished
        assert sock.recv(1024) == b""  # closed, not left waiting
