"""No patient text or id in any log, on any channel; files for this user only; the API token
never on a command line."""

import asyncio
import json
import stat
import uuid
from pathlib import Path

import requests

from deploy.settings import DOTENV
from tests.server.test_messenger import event, post, signed
from tests.server.test_socketio import converse

MARKER = "MARQUEUR" + uuid.uuid4().hex[:8].upper()


def marked(label: str) -> str:
    return f"{MARKER}-{label}"


def test_no_marker_reaches_any_log(assistant, client):
    # REST: a question, a warning sign, "/" text, a message over the cap.
    for label, text in (
        ("rest", "quels examens pour les métastases"),
        ("sign", "je ne sens plus mes jambes"),
        ("slash", "/je n'arrive plus à bouger"),
        ("long", "trop long " * 300),
    ):
        client.send(f"{text} {marked(label)}", marked(f"rest-sender-{label}"))
    requests.post(
        f"{assistant.url}/webhooks/rest/webhook",
        json={"sender": marked("bad"), "message": {"x": marked("shape")}},
        timeout=10,
    )
    # socket.io, with a malformed event.
    asyncio.run(converse(assistant.url, "http://localhost:8080", [f"bonjour {marked('socketio')}"]))
    # Messenger: text, the kinds the bot does not read, a replay, a slash that is no payload.
    user = marked("fb")
    for message in (
        {"text": f"bonjour {marked('fb-text')}"},
        {"text": f"/{marked('fb-slash')}"},
        {"text": marked("fb-echo"), "is_echo": True},
        {"attachments": [{"type": "location", "payload": {"title": marked("fb-location")}}]},
        {"attachments": [{"type": "fallback", "url": f"https://x/{marked('fb-share')}"}]},
    ):
        body = event(user, message=message)
        post(assistant, body, signed(body))
        post(assistant, body, signed(body))
    body = json.dumps({"entry": [{"messaging": [{"sender": {"id": user}, "message": 1}]}]})
    post(assistant, body.encode(), signed(body.encode()))

    logs = list(Path(assistant.work_dir).glob("*.log"))
    assert logs
    found = [log.name for log in logs if MARKER in log.read_text(errors="replace")]
    assert found == []


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_for_this_user_only(assistant, client):
    client.send("bonjour")
    work_dir = Path(assistant.work_dir)
    assert mode(work_dir) == 0o700
    assert mode(work_dir / "trackers.db") == 0o600
    assert all(mode(log) == 0o600 for log in work_dir.glob("*.log"))
    assert mode(DOTENV) == 0o600


def test_the_token_is_not_on_the_command_line_and_works_as_a_bearer_header(assistant):
    command_line = Path(f"/proc/{assistant.rasa.pid}/cmdline").read_bytes()
    assert assistant.token.encode() not in command_line
    status = f"{assistant.url}/status"
    assert requests.get(status, timeout=10).status_code == 401
    bearer = {"Authorization": f"Bearer {assistant.token}"}
    assert requests.get(status, headers=bearer, timeout=10).status_code == 200
    wrong = {"Authorization": "Bearer wrong"}
    assert requests.get(status, headers=wrong, timeout=10).status_code == 401
