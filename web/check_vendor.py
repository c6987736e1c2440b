#!/usr/bin/env python3
"""Checks, without npm, that web/node_modules holds the socket.io-client that
web/package-lock.json pins. Exit 0 if so; otherwise prints the command to run and exits 1.

    python -m web.check_vendor
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

WEB = Path(__file__).resolve().parent
SOCKET_IO = WEB / "node_modules" / "socket.io-client"
SOCKET_IO_DIST = SOCKET_IO / "dist"
INSTALL_COMMAND = "npm ci --prefix web"


def pinned_version() -> str:
    lock = json.loads((WEB / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/socket.io-client"]["version"]


def check_vendor() -> str | None:
    """None when ready, else a message saying what is wrong and what to run."""
    wanted = pinned_version()
    manifest = SOCKET_IO / "package.json"
    if not (SOCKET_IO_DIST / "socket.io.min.js").is_file() or not manifest.is_file():
        return (
            f"web/node_modules is missing socket.io-client {wanted} "
            f"(its browser build, dist/socket.io.min.js). From the repository root run: {INSTALL_COMMAND}"
        )
    installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    if installed != wanted:
        return (
            f"web/node_modules has socket.io-client {installed}, package-lock.json pins {wanted}. "
            f"From the repository root run: {INSTALL_COMMAND}"
        )
    return None


def main() -> int:
    problem = check_vendor()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    print(f"socket.io-client {pinned_version()} is installed in web/node_modules.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
