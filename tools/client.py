"""Talks to a running assistant over the REST channel and the HTTP API."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

import requests

from assistant.channels.sessions import namespaced


class RestClient:
    def __init__(self, base_url: str, token: str, timeout: float = 30) -> None:
        self.base_url = base_url
        self.token = token
        self.timeout = timeout
        self.session = requests.Session()

    def send(self, text: str, sender: str | None = None) -> List[Dict[str, Any]]:
        """The bot's replies to one message."""
        response = self.session.post(
            f"{self.base_url}/webhooks/rest/webhook",
            json={"sender": sender or new_sender(), "message": text},
            timeout=self.timeout,
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str, channel: str = "rest") -> Dict[str, Any]:
        """The conversation of `sender` on `channel` (conversations are `<channel>:<sender>`)."""
        response = self.session.get(
            f"{self.base_url}/conversations/{namespaced(channel, sender)}/tracker",
            params={"token": self.token},
            timeout=self.timeout,
        )
        response.raise_for_status()
        return response.json()

    def slot(self, sender: str, name: str, channel: str = "rest") -> Any:
        return self.tracker(sender, channel)["slots"].get(name)

    def parse(self, text: str) -> Dict[str, Any]:
        response = self.session.post(
            f"{self.base_url}/model/parse",
            params={"token": self.token},
            json={"text": text},
            timeout=self.timeout,
        )
        response.raise_for_status()
        return response.json()


def new_sender(prefix: str = "test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def texts(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)
