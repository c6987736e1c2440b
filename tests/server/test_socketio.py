"""The socket.io channel the widget uses: replies arrive with session persistence (the
python-socketio pin), the urgent level comes with the text, and other websites are refused."""

import asyncio
import uuid

import pytest
import socketio


async def converse(url, origin, messages, wait=20.0, asked=None):
    """Opens a session (resuming `asked` if given), sends `messages`; returns the session token
    the server confirmed and the bot's replies."""
    client = socketio.AsyncClient(reconnection=False)
    replies = []
    confirmed = []
    client.on("session_confirm", lambda data: confirmed.append(data))
    client.on("bot_uttered", lambda data: replies.append(data))
    await client.connect(
        url, headers={"Origin": origin}, transports=["websocket"], socketio_path="/socket.io"
    )
    await client.emit("session_request", {"session_id": asked})
    deadline = asyncio.get_event_loop().time() + wait
    while not confirmed and asyncio.get_event_loop().time() < deadline:
        await asyncio.sleep(0.05)
    session = confirmed[0]
    for message in messages:
        before = len(replies)
        await client.emit("user_uttered", {"message": message, "session_id": session})
        deadline = asyncio.get_event_loop().time() + wait
        while len(replies) == before and asyncio.get_event_loop().time() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # the rest of the turn's messages
    await client.disconnect()
    return session, replies


def conversation(token):
    """The conversation id under the channel's namespace: the signed token's session part."""
    return token.split(".")[0]


def test_replies_arrive_with_session_persistence(assistant, client):
    session, replies = asyncio.run(
        converse(assistant.url, "http://localhost:8080", ["quels examens pour les métastases ?"])
    )
    texts = [r.get("text", "") for r in replies]
    assert any("scanner" in t.lower() for t in texts)
    assert any(r.get("quick_replies") for r in replies)
    assert (
        client.tracker(conversation(session), "socketio")["latest_message"]["intent"]["name"]
        == "ask_exams"
    )


def test_an_urgent_reply_carries_its_level(assistant):
    _, replies = asyncio.run(
        converse(assistant.url, "http://127.0.0.1:8080", ["depuis hier je ne sens plus mes jambes"])
    )
    urgent = [r for r in replies if r.get("triage")]
    assert urgent and urgent[0]["triage"] == "urgence_immediate" and "112" in urgent[0]["text"]


def test_another_website_cannot_open_a_conversation(assistant):
    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(converse(assistant.url, "https://evil.example", ["bonjour"], wait=5))


def test_a_session_id_the_server_did_not_issue_is_replaced(assistant, client):
    forged = uuid.uuid4().hex
    session, _ = asyncio.run(
        converse(assistant.url, "http://localhost:8080", ["bonjour"], asked=forged)
    )
    assert conversation(session) != forged and session.count(".") == 1
    tampered = conversation(session)[::-1] + "." + session.split(".")[1]
    resumed, _ = asyncio.run(converse(assistant.url, "http://localhost:8080", [], asked=tampered))
    assert resumed != tampered


def test_an_issued_session_can_be_resumed(assistant):
    session, _ = asyncio.run(converse(assistant.url, "http://localhost:8080", []))
    resumed, _ = asyncio.run(converse(assistant.url, "http://localhost:8080", [], asked=session))
    assert resumed == session


async def claim(url, victim_conversation):
    """A client that knows another's conversation id and sends in it without its token."""
    client = socketio.AsyncClient(reconnection=False)
    replies = []
    client.on("bot_uttered", lambda data: replies.append(data))
    await client.connect(
        url,
        headers={"Origin": "http://localhost:8080"},
        transports=["websocket"],
        socketio_path="/socket.io",
    )
    await client.emit(
        "user_uttered",
        {"message": "je ne sens plus mes jambes", "session_id": victim_conversation},
    )
    await asyncio.sleep(3)
    await client.disconnect()
    return replies


def test_another_client_cannot_write_into_a_conversation_or_read_it(assistant, client):
    session, _ = asyncio.run(converse(assistant.url, "http://localhost:8080", ["bonjour"]))
    victim = conversation(session)
    assert asyncio.run(claim(assistant.url, victim)) == []
    # REST with the same id writes into a conversation of its own.
    client.send("je ne sens plus mes jambes", f"socketio:{victim}")
    client.send("je ne sens plus mes jambes", victim)
    assert client.slot(victim, "triage", "socketio") is None


@pytest.mark.parametrize("event", [None, "texte", 42, ["x"], {"message": {"a": 1}}, {}])
def test_malformed_events_are_ignored(assistant, event):
    logged = assistant.rasa.log_size()  # other tests stop the action server on purpose

    async def send():
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(
            assistant.url,
            headers={"Origin": "http://localhost:8080"},
            transports=["websocket"],
            socketio_path="/socket.io",
        )
        await client.emit("session_request", event)
        await client.emit("user_uttered", event)
        await asyncio.sleep(0.5)
        await client.disconnect()

    asyncio.run(send())
    assert "Traceback" not in assistant.rasa.log_since(logged)


def test_a_slash_before_a_warning_sign_gets_the_immediate_referral(assistant):
    _, replies = asyncio.run(
        converse(assistant.url, "http://localhost:8080", ["/je n'arrive plus à bouger les jambes"])
    )
    assert any(r.get("triage") == "urgence_immediate" for r in replies)


def test_a_message_over_the_cap_gets_the_request_for_a_shorter_one(assistant):
    _, replies = asyncio.run(
        converse(assistant.url, "http://localhost:8080", ["Bonjour docteur. " * 200])
    )
    assert any("trop long" in r.get("text", "") for r in replies)
