"""Pseudonyms for sender ids in what staff read: a keyed HMAC-SHA256, so that the same
patient keeps the same pseudonym from one export to the next, and nobody without the key
(TRANSCRIPT_PSEUDONYM_KEY, in the environment or `.env`) can link it back to a sender id."""

from __future__ import annotations

import hashlib
import hmac
import os

from deploy.settings import read_dotenv

KEY_NAME = "TRANSCRIPT_PSEUDONYM_KEY"
# 12 hex digits (48 bits): no two of a few million conversations share a pseudonym.
DIGITS = 12


class MissingKeyError(RuntimeError):
    """No pseudonymisation key: `make env` writes one into `.env`."""


def pseudonym_key() -> bytes:
    key = os.environ.get(KEY_NAME) or read_dotenv().get(KEY_NAME)
    if not key:
        raise MissingKeyError(
            f"{KEY_NAME} est introuvable (ni dans l'environnement ni dans .env) : lancez `make env`."
        )
    return key.encode()


def pseudonym(sender_id: str, key: bytes) -> str:
    """`patient-` and the start of the sender id's HMAC, e.g. `patient-3f9a1c2b4d5e`."""
    return "patient-" + hmac.new(key, sender_id.encode(), hashlib.sha256).hexdigest()[:DIGITS]
