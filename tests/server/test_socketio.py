"""The socket.io channel the widget uses: replies arrive with session persistence (the
python-socketio pin), the urgent level comes with the text, and other websites are refused."""

import asyncio
import uuid

import pytest
import socketio


async def converse(url, origin, messages, wait=20.0):
    client = socketio.AsyncClient(reconnection=False)
    replies = []
    confirmed = asyncio.Event()
    client.on("session_confirm", lambda *_: confirmed.set())
    client.on("bot_uttered", lambda data: replies.append(data))
    await client.connect(
        url, headers={"Origin": origin}, transports=["websocket"], socketio_path="/socket.io"
    )
    session = uuid.uuid4().hex
    await client.emit("session_request", {"session_id": session})
    await asyncio.wait_for(confirmed.wait(), wait)
    for message in messages:
        before = len(replies)
        await client.emit("user_uttered", {"message": message, "session_id": session})
        deadline = asyncio.get_event_loop().time() + wait
        while len(replies) == before and asyncio.get_event_loop().time() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # the rest of the turn's messages
    await client.disconnect()
    return session, replies


def test_replies_arrive_with_session_persistence(assistant, client):
    session, replies = asyncio.run(
        converse(assistant.url, "http://localhost:8080", ["quels examens pour les métastases ?"])
    )
    texts = [r.get("text", "") for r in replies]
    assert any("scanner" in t.lower() for t in texts)
    assert any(r.get("quick_replies") for r in replies)
    assert client.tracker(session)["latest_message"]["intent"]["name"] == "ask_exams"


def test_an_urgent_reply_carries_its_level(assistant):
    _, replies = asyncio.run(
        converse(assistant.url, "http://127.0.0.1:8080", ["depuis hier je ne sens plus mes jambes"])
    )
    urgent = [r for r in replies if r.get("triage")]
    assert urgent and urgent[0]["triage"] == "urgence_immediate" and "112" in urgent[0]["text"]


def test_another_website_cannot_open_a_conversation(assistant):
    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(converse(assistant.url, "https://evil.example", ["bonjour"], wait=5))
