"""A bounded load generator: concurrent patient conversations over REST and socket.io, with
latency figures, and a check that every message and reply reached the tracker store."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Sequence

import aiohttp
import socketio

from assistant.channels.sessions import namespaced

# Ten turns a patient might take, without a warning sign (the safety path is tested apart).
CONVERSATION = (
    "bonjour",
    "c'est quoi une métastase vertébrale ?",
    "quels cancers donnent des métastases aux vertèbres ?",
    "quels sont les symptômes ?",
    "à quoi sert l'IRM ?",
    "c'est quoi une cimentoplastie ?",
    "faut-il demander un deuxième avis ?",
    "quel spécialiste consulter ?",
    "merci beaucoup",
    "au revoir",
)
SOCKETIO_QUIET = 0.4  # seconds without a new reply that end a socket.io turn


@dataclass
class Conversation:
    sender: str
    transport: str
    # The conversation's id in the tracker store: `rest:<sender>`, or `socketio:<session>` for
    # the session the server issued (assistant/channels/sessions.py).
    stored_as: str = ""
    sent: List[str] = field(default_factory=list)
    replies: List[str] = field(default_factory=list)
    latencies: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)


@dataclass
class LoadReport:
    conversations: List[Conversation]
    wall_seconds: float

    @property
    def latencies(self) -> List[float]:
        return [latency for c in self.conversations for latency in c.latencies]

    @property
    def errors(self) -> List[str]:
        return [error for c in self.conversations for error in c.errors]

    @property
    def messages(self) -> int:
        return sum(len(c.sent) for c in self.conversations)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]

    def format(self, title: str) -> str:
        lat = self.latencies
        return (
            f"{title}: {len(self.conversations)} conversations, {self.messages} messages in "
            f"{self.wall_seconds:.1f} s = {self.messages / self.wall_seconds:.1f} messages/s; "
            f"latency p50 {self.percentile(50) * 1000:.0f} ms, p95 {self.percentile(95) * 1000:.0f} ms, "
            f"p99 {self.percentile(99) * 1000:.0f} ms, mean {statistics.mean(lat) * 1000:.0f} ms; "
            f"errors {len(self.errors)}"
        )


async def _rest_conversation(
    http: aiohttp.ClientSession, url: str, conversation: Conversation, messages: Sequence[str]
) -> None:
    conversation.stored_as = namespaced("rest", conversation.sender)
    for text in messages:
        started = time.perf_counter()
        try:
            async with http.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": conversation.sender, "message": text},
            ) as response:
                if response.status != 200:
                    conversation.errors.append(f"HTTP {response.status}")
                    continue
                body = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, json.JSONDecodeError) as error:
            conversation.errors.append(type(error).__name__)
            continue
        conversation.latencies.append(time.perf_counter() - started)
        conversation.sent.append(text)
        conversation.replies.extend(reply.get("text", "") for reply in body if reply.get("text"))


async def _socketio_conversation(
    url: str, origin: str, conversation: Conversation, messages: Sequence[str]
) -> None:
    client = socketio.AsyncClient(reconnection=False)
    received: List[str] = []
    arrived = asyncio.Event()
    confirmed = asyncio.Event()

    def on_bot(data: Dict) -> None:
        received.append(data.get("text", ""))
        arrived.set()

    client.on("bot_uttered", on_bot)
    session: List[str] = []

    def on_confirm(token: str) -> None:
        session.append(token)
        conversation.stored_as = namespaced("socketio", token.split(".")[0])
        confirmed.set()

    client.on("session_confirm", on_confirm)
    try:
        await client.connect(
            url, headers={"Origin": origin}, transports=["websocket"], wait_timeout=30
        )
        await client.emit("session_request", {"session_id": None})
        await asyncio.wait_for(confirmed.wait(), 30)
        for text in messages:
            arrived.clear()
            started = time.perf_counter()
            await client.emit("user_uttered", {"message": text, "session_id": session[0]})
            try:
                await asyncio.wait_for(arrived.wait(), 60)
            except asyncio.TimeoutError:
                conversation.errors.append("no reply")
                continue
            conversation.latencies.append(time.perf_counter() - started)
            conversation.sent.append(text)
            while True:  # the turn's other messages
                arrived.clear()
                try:
                    await asyncio.wait_for(arrived.wait(), SOCKETIO_QUIET)
                except asyncio.TimeoutError:
                    break
    except (socketio.exceptions.ConnectionError, asyncio.TimeoutError) as error:
        conversation.errors.append(type(error).__name__)
    finally:
        conversation.replies.extend(text for text in received if text)
        await client.disconnect()


async def run_load(
    url: str,
    conversations: int = 100,
    turns: int = 10,
    socketio_share: float = 0.5,
    origin: str = "http://localhost:8080",
    prefix: str | None = None,
) -> LoadReport:
    """Runs `conversations` conversations at once, each `turns` messages in sequence."""
    prefix = prefix or f"load-{uuid.uuid4().hex[:6]}"
    messages = [CONVERSATION[i % len(CONVERSATION)] for i in range(turns)]
    planned = [
        Conversation(
            f"{prefix}-{n:04d}", "socketio" if n < conversations * socketio_share else "rest"
        )
        for n in range(conversations)
    ]
    connector = aiohttp.TCPConnector(limit=conversations)
    timeout = aiohttp.ClientTimeout(total=120)
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        await asyncio.gather(
            *(
                _socketio_conversation(url, origin, c, messages)
                if c.transport == "socketio"
                else _rest_conversation(http, url, c, messages)
                for c in planned
            )
        )
    return LoadReport(planned, time.perf_counter() - started)


async def run_open_loop(
    url: str, rate: float, seconds: float, conversations: int = 40, prefix: str | None = None
) -> LoadReport:
    """Sends `rate` messages a second for `seconds`, whatever the replies' latency (an open
    loop: queueing shows in the latency instead of slowing the sender). Message k goes to
    conversation k mod `conversations`, each conversation taking the turns in order."""
    prefix = prefix or f"open-{uuid.uuid4().hex[:6]}"
    planned = [Conversation(f"{prefix}-{n:04d}", "rest") for n in range(conversations)]
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=120)
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        sends = []
        for k in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, started + k / rate - time.perf_counter()))
            conversation = planned[k % conversations]
            text = CONVERSATION[(k // conversations) % len(CONVERSATION)]
            sends.append(asyncio.create_task(_rest_conversation(http, url, conversation, [text])))
        await asyncio.gather(*sends)
    return LoadReport(planned, time.perf_counter() - started)


@dataclass
class StoreCheck:
    conversations: int
    lost_messages: int
    duplicated_messages: int
    lost_replies: int

    @property
    def nothing_lost(self) -> bool:
        return self.lost_messages == 0 and self.lost_replies == 0


def settled_events(
    read, senders: List[str], quiet_seconds: float = 2.0, timeout: float = 120.0
) -> Dict[str, List[Dict]]:
    """The stored events once the servers have finished what the clients sent: a socket.io
    client may leave while its last messages are still being handled."""
    deadline = time.monotonic() + timeout
    events = read(senders)
    while time.monotonic() < deadline:
        time.sleep(quiet_seconds)
        again = read(senders)
        if sum(map(len, again.values())) == sum(map(len, events.values())):
            return again
        events = again
    return events


def check_store(report: LoadReport, events_by_sender: Dict[str, List[Dict]]) -> StoreCheck:
    """Compares what each client sent and received with the events stored for it: every
    message and reply must be there, in order."""
    lost = duplicated = lost_replies = 0
    for conversation in report.conversations:
        events = events_by_sender.get(conversation.stored_as, [])
        stored_messages = [e.get("text") for e in events if e.get("event") == "user"]
        stored_replies = [e.get("text") for e in events if e.get("event") == "bot"]
        lost += _missing_in_order(conversation.sent, stored_messages)
        duplicated += max(0, len(stored_messages) - len(conversation.sent))
        lost_replies += _missing_in_order(conversation.replies, stored_replies)
    return StoreCheck(len(report.conversations), lost, duplicated, lost_replies)


def _missing_in_order(expected: List[str], stored: List[str | None]) -> int:
    """How many of `expected` are not found in `stored`, scanning both in order."""
    position = 0
    missing = 0
    for item in expected:
        try:
            position = stored.index(item, position) + 1
        except ValueError:
            missing += 1
    return missing
