"""The Messenger webhook against a running Rasa; the Send API calls are recorded locally."""

import hashlib
import hmac
import json
import time
import uuid

import pytest
import requests

from deploy.settings import read_dotenv
from tests.messenger_limits import problems_with

SECRETS = read_dotenv()
WEBHOOK = "/webhooks/facebook/webhook"


def signed(body: bytes, secret: str = SECRETS["FB_APP_SECRET"]) -> str:
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def event(user: str, message=None, postback=None) -> bytes:
    messaging = {
        "sender": {"id": user},
        "recipient": {"id": "page"},
        "timestamp": int(time.time() * 1000),
    }
    if message is not None:
        messaging["message"] = {"mid": uuid.uuid4().hex, **message}
    if postback is not None:
        messaging["postback"] = postback
    return json.dumps(
        {"object": "page", "entry": [{"id": "page", "time": 0, "messaging": [messaging]}]}
    ).encode()


def post(assistant, body: bytes, signature: str = None):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature"] = signature
    return requests.post(assistant.url + WEBHOOK, data=body, headers=headers, timeout=60)


def new_user() -> str:
    return "fb-" + uuid.uuid4().hex[:10]


def user_messages(client, user: str):
    # Reading a tracker through the HTTP API starts its session: only user events tell.
    return [e for e in client.tracker(user)["events"] if e["event"] == "user"]


def test_the_verification_challenge_is_echoed(assistant):
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": SECRETS["FB_VERIFY_TOKEN"],
        "hub.challenge": "4242",
    }
    answer = requests.get(assistant.url + WEBHOOK, params=params, timeout=10)
    assert answer.status_code == 200 and answer.text == "4242"
    params["hub.verify_token"] = "wrong"
    assert requests.get(assistant.url + WEBHOOK, params=params, timeout=10).status_code == 403


def test_a_signed_message_is_answered_within_messenger_limits(assistant, client, graph_api):
    user = new_user()
    body = event(user, message={"text": "Quels sont les symptômes des métastases vertébrales ?"})
    assert post(assistant, body, signed(body)).status_code == 200
    sent = graph_api.messages_to(user)
    assert len(sent) >= 2  # the welcome, then the answer
    assert not [p for message in sent for p in problems_with(message)]
    assert client.tracker(user)["latest_message"]["intent"]["name"] == "ask_symptoms"


@pytest.mark.parametrize("signature", [None, "sha1=" + "0" * 40, "sha256=abc", "garbage"])
def test_a_forged_or_missing_signature_is_refused_and_nothing_is_processed(
    assistant, client, graph_api, signature
):
    user = new_user()
    body = event(user, message={"text": "mes jambes lâchent"})
    assert post(assistant, body, signature).status_code == 403
    assert graph_api.messages_to(user) == []
    assert user_messages(client, user) == []


def test_a_message_signed_with_another_secret_is_refused(assistant, client):
    user = new_user()
    body = event(user, message={"text": "bonjour"})
    assert post(assistant, body, signed(body, "not-the-app-secret")).status_code == 403
    assert user_messages(client, user) == []


def test_a_quick_reply_payload_reaches_its_intent(assistant, client):
    user = new_user()
    body = event(
        user, message={"text": "IRM", "quick_reply": {"payload": '/ask_exams{"exam": "irm"}'}}
    )
    assert post(assistant, body, signed(body)).status_code == 200
    latest = client.tracker(user)["latest_message"]
    assert latest["intent"]["name"] == "ask_exams"
    assert latest["entities"][0]["value"] == "irm"


def test_a_postback_payload_reaches_its_intent(assistant, client):
    user = new_user()
    body = event(user, postback={"title": "Deuxième avis", "payload": "/ask_second_opinion"})
    assert post(assistant, body, signed(body)).status_code == 200
    assert client.tracker(user)["latest_message"]["intent"]["name"] == "ask_second_opinion"


def test_the_urgent_referral_is_complete_on_messenger(assistant, client, graph_api):
    user = new_user()
    body = event(user, message={"text": "depuis ce matin mon père ne sent plus ses jambes"})
    assert post(assistant, body, signed(body)).status_code == 200
    text = " ".join(m.get("text", "") for m in graph_api.messages_to(user))
    assert "URGENCE" in text and "15" in text and "112" in text and "allongé" in text
    assert client.slot(user, "triage") == "urgence_immediate"


def test_a_yes_no_question_uses_buttons_messenger_shows(assistant, graph_api):
    user = new_user()
    body = event(user, message={"text": "j'ai mal au dos"})
    assert post(assistant, body, signed(body)).status_code == 200
    question = graph_api.messages_to(user)[-1]
    buttons = question["attachment"]["payload"]["buttons"]
    assert [b["payload"] for b in buttons] == ["/affirm", "/deny", "/dont_know"]


def test_malformed_json_is_refused(assistant):
    body = b'{"object": "page", "entry": ['
    assert post(assistant, body, signed(body)).status_code == 400
