"""Keeps patients' words and ids out of the logs of every process.

The channels remember each message's text and its writer's ids (`remember`); `install` makes
every log record of level INFO and above, from any library, replace them with
"[texte patient]" before any handler sees it. The most recent messages are remembered, which
covers what a process may log about the messages it is handling.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from typing import Any, Deque

REDACTED = "[texte patient]"
_MIN_CHARS = 4  # shorter words ("oui", "non") are no one's data
_REMEMBERED = 2000

_recent: Deque[str] = deque(maxlen=_REMEMBERED)
_lock = threading.Lock()
_installed = False


def remember(*values: Any) -> None:
    """Texts and ids that must not appear in the logs."""
    with _lock:
        for value in values:
            if isinstance(value, str) and len(value.strip()) >= _MIN_CHARS:
                _recent.append(value.strip())


def scrub(text: str) -> str:
    with _lock:
        secrets = sorted(set(_recent), key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def install() -> None:
    """Scrubs every log record of level INFO and above created from now on in this process."""
    global _installed
    if _installed:
        return
    create = logging.getLogRecordFactory()

    def scrubbed_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = create(*args, **kwargs)
        if record.levelno >= logging.INFO and _recent:
            message = record.getMessage()
            clean = scrub(message)
            if record.exc_info and record.exc_info[1] is not None:
                text = "".join(logging.Formatter().formatException(record.exc_info))
                clean = f"{clean}\n{scrub(text)}"
                record.exc_info = None
            if clean != message:
                record.msg, record.args = clean, ()
        return record

    logging.setLogRecordFactory(scrubbed_record)
    _installed = True
