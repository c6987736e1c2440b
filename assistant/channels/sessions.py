"""Conversation ids bound to their channel and, for socket.io, to the client they were issued to.

A socket.io session id is issued by the server and signed with an HMAC of SOCKETIO_SESSION_SECRET
(.env): a client can resume only a session it was given. Every sender id is prefixed with its
channel, so that one channel cannot write into another's conversation.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

MAX_SENDER_CHARS = 128


def namespaced(channel: str, sender: str) -> str:
    """The conversation id of `sender` on `channel` ("rest:...", "socketio:...", "facebook:...")."""
    return f"{channel}:{sender}"


class SessionSigner:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError(
                "SOCKETIO_SESSION_SECRET is empty: run `make env` to generate it in .env."
            )
        self._key = secret.encode()

    def issue(self) -> str:
        """A new session token: a random id and its signature."""
        session = uuid.uuid4().hex
        return f"{session}.{self._signature(session)}"

    def verify(self, token: object) -> str | None:
        """The session id of a token this server issued, None for anything else."""
        if not isinstance(token, str) or len(token) > MAX_SENDER_CHARS or "." not in token:
            return None
        session, signature = token.split(".", 1)
        if not hmac.compare_digest(signature, self._signature(session)):
            return None
        return session

    def _signature(self, session: str) -> str:
        return hmac.new(self._key, session.encode(), hashlib.sha256).hexdigest()
