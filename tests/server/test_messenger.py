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


def post(assistant, body: bytes, signature: str = None, header: str = "X-Hub-Signature"):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers[header] = signature
    return requests.post(assistant.url + WEBHOOK, data=body, headers=headers, timeout=60)


def new_user() -> str:
    return "fb-" + uuid.uuid4().hex[:10]


def user_messages(client, user: str):
    # Reading a tracker through the HTTP API starts its session: only user events tell.
    return [e for e in client.tracker(user, "facebook")["events"] if e["event"] == "user"]


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
    assert client.tracker(user, "facebook")["latest_message"]["intent"]["name"] == "ask_symptoms"


@pytest.mark.parametrize(
    "signature", [None, "sha1=" + "0" * 40, "sha256=abc", "garbage", "foo=abc", "md5=abc", "=", ""]
)
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
    latest = client.tracker(user, "facebook")["latest_message"]
    assert latest["intent"]["name"] == "ask_exams"
    assert latest["entities"][0]["value"] == "irm"


def test_a_postback_payload_reaches_its_intent(assistant, client):
    user = new_user()
    body = event(user, postback={"title": "Deuxième avis", "payload": "/ask_second_opinion"})
    assert post(assistant, body, signed(body)).status_code == 200
    assert (
        client.tracker(user, "facebook")["latest_message"]["intent"]["name"] == "ask_second_opinion"
    )


def test_the_urgent_referral_is_complete_on_messenger(assistant, client, graph_api):
    user = new_user()
    body = event(user, message={"text": "depuis ce matin mon père ne sent plus ses jambes"})
    assert post(assistant, body, signed(body)).status_code == 200
    text = " ".join(m.get("text", "") for m in graph_api.messages_to(user))
    assert "URGENCE" in text and "15" in text and "112" in text and "allongé" in text
    assert client.slot(user, "triage", "facebook") == "urgence_immediate"


def test_a_yes_no_question_uses_buttons_messenger_shows(assistant, graph_api):
    user = new_user()
    body = event(user, message={"text": "j'ai mal au dos"})
    assert post(assistant, body, signed(body)).status_code == 200
    question = graph_api.messages_to(user)[-1]
    assert "attachment" in question, graph_api.messages_to(user)
    buttons = question["attachment"]["payload"]["buttons"]
    assert [b["payload"] for b in buttons] == ["/affirm", "/deny", "/dont_know"]


def test_malformed_json_is_refused(assistant):
    body = b'{"object": "page", "entry": ['
    assert post(assistant, body, signed(body)).status_code == 400


def signed_256(body: bytes, secret: str = SECRETS["FB_APP_SECRET"]) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_the_sha256_signature_meta_recommends_is_accepted(assistant, client):
    user = new_user()
    body = event(user, message={"text": "Quels examens pour les métastases ?"})
    assert post(assistant, body, signed_256(body), "X-Hub-Signature-256").status_code == 200
    assert client.tracker(user, "facebook")["latest_message"]["intent"]["name"] == "ask_exams"


def test_a_forged_sha256_signature_is_refused_even_with_a_valid_sha1(assistant, client):
    user = new_user()
    body = event(user, message={"text": "bonjour"})
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": "sha256=" + "0" * 64,
        "X-Hub-Signature": signed(body),
    }
    answer = requests.post(assistant.url + WEBHOOK, data=body, headers=headers, timeout=30)
    assert answer.status_code == 403
    assert user_messages(client, user) == []


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"object": "page"},
        {"object": "page", "entry": "x"},
        {"object": "page", "entry": [{"messaging": [{"message": {"text": "x"}}]}]},
        {"object": "page", "entry": [{"messaging": [{"sender": {"id": None}, "message": {}}]}]},
        {"object": "page", "entry": [{"messaging": [{"sender": {"id": "1"}, "message": "x"}]}]},
    ],
)
def test_a_signed_body_of_the_wrong_shape_gets_400(assistant, payload):
    body = json.dumps(payload).encode()
    answer = post(assistant, body, signed(body))
    assert answer.status_code == 400 and answer.json()["error"] == "bad_payload"


def test_a_replayed_message_is_ignored(assistant, client, graph_api):
    user = new_user()
    body = event(user, message={"text": "Quels sont les traitements ?"})
    assert post(assistant, body, signed(body)).status_code == 200
    answered = len(graph_api.messages_to(user))
    for _ in range(3):
        assert post(assistant, body, signed(body)).status_code == 200
    assert len(user_messages(client, user)) == 1
    assert len(graph_api.messages_to(user)) == answered


def test_a_body_over_1_mb_is_refused_before_it_is_read(assistant):
    body = b"{" + b" " * 5_000_000 + b"}"
    assert post(assistant, body, signed(body)).status_code == 413


def test_a_slash_before_a_warning_sign_is_read_as_text(assistant, client):
    user = new_user()
    body = event(user, message={"text": "/je n'arrive plus à bouger les jambes"})
    assert post(assistant, body, signed(body)).status_code == 200
    assert client.slot(user, "triage", "facebook") == "urgence_immediate"


def test_a_message_over_the_cap_gets_the_request_for_a_shorter_one(assistant, client, graph_api):
    user = new_user()
    body = event(user, message={"text": "Bonjour docteur. " * 200})
    assert post(assistant, body, signed(body)).status_code == 200
    assert any("trop long" in m.get("text", "") for m in graph_api.messages_to(user))
    assert user_messages(client, user) == []
