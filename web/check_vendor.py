#!/usr/bin/env python3
"""Checks, without npm, that web/node_modules holds the packages web/package-lock.json pins:
socket.io-client (served with the widget) and axe-core (injected by the browser tests). Exit 0
if so; otherwise prints the command to run and exits 1.

    python -m web.check_vendor
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

WEB = Path(__file__).resolve().parent
MODULES = WEB / "node_modules"
SOCKET_IO = MODULES / "socket.io-client"
SOCKET_IO_DIST = SOCKET_IO / "dist"
# The accessibility rules the browser tests run in the page (@axe-core/playwright's axe-core).
AXE = MODULES / "axe-core" / "axe.min.js"
INSTALL_COMMAND = "npm ci --prefix web"
# Each package and the file of it that is used.
PACKAGES = {
    "socket.io-client": SOCKET_IO_DIST / "socket.io.min.js",
    "axe-core": AXE,
}


def pinned_version(package: str = "socket.io-client") -> str:
    lock = json.loads((WEB / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"][f"node_modules/{package}"]["version"]


def check_package(package: str) -> str | None:
    """None when `package` is installed at its pinned version, else what is wrong and what to run."""
    wanted = pinned_version(package)
    manifest = MODULES / package / "package.json"
    used = PACKAGES[package]
    if not used.is_file() or not manifest.is_file():
        return (
            f"web/node_modules is missing {package} {wanted} "
            f"({used.relative_to(MODULES / package)}). From the repository root run: {INSTALL_COMMAND}"
        )
    installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    if installed != wanted:
        return (
            f"web/node_modules has {package} {installed}, package-lock.json pins {wanted}. "
            f"From the repository root run: {INSTALL_COMMAND}"
        )
    return None


def check_vendor() -> str | None:
    """What the widget's server needs: socket.io-client."""
    return check_package("socket.io-client")


def main() -> int:
    problems = [problem for problem in map(check_package, PACKAGES) if problem]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    for package in PACKAGES:
        print(f"{package} {pinned_version(package)} is installed in web/node_modules.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
