"""Bad input gets a clear, polite answer, never a server error or silence."""

import pytest
import requests

from assistant.channels.limits import MAX_MESSAGE_CHARS, TOO_LONG_RESPONSE
from content import response_text
from tools.client import new_sender, texts

POLITE = ("reformuler", "français", "French", "métastases", "compris")


def polite_reply(client, message):
    replies = client.send(message)
    text = texts(replies)
    assert replies and text.strip(), f"no answer to {message[:40]!r}"
    assert any(word in text for word in POLITE), text
    return text


def test_an_empty_message(client):
    polite_reply(client, "")


def test_a_blank_message(client):
    polite_reply(client, "   \n  ")


def test_emoji_only(client):
    polite_reply(client, "😀😀👍")


def test_another_language(client):
    text = polite_reply(client, "Hello, can you tell me what spinal metastases are?")
    assert "112" in text


def test_html_and_script_are_not_echoed(client):
    text = polite_reply(client, "<script>alert('x')</script><img src=x onerror=alert(1)>")
    assert "<script" not in text and "onerror" not in text


def test_a_10000_character_message_gets_the_request_for_a_shorter_one(client):
    message = ("Bonjour, je voudrais comprendre ma maladie et mes traitements. " * 200)[:10_000]
    sender = new_sender()
    text = texts(client.send(message, sender))
    assert text == response_text(TOO_LONG_RESPONSE) and "15" in text
    assert [e for e in client.tracker(sender)["events"] if e["event"] == "user"] == []


def test_a_warning_sign_inside_a_message_at_the_cap_is_not_lost(client):
    filler = "Je vous écris pour avoir des informations sur mon traitement. " * 20
    message = (filler + "Depuis ce matin je ne sens plus mes jambes. " + filler)[:MAX_MESSAGE_CHARS]
    assert len(message) == MAX_MESSAGE_CHARS
    sender = new_sender()
    assert "15" in texts(client.send(message, sender))
    assert client.slot(sender, "triage") == "urgence_immediate"


@pytest.mark.parametrize(
    "message", ["/je n'arrive plus à bouger les jambes", "//je n'arrive plus à bouger les jambes"]
)
def test_a_slash_before_a_warning_sign_gets_the_immediate_referral(client, message):
    sender = new_sender()
    client.send(message, sender)
    assert client.slot(sender, "triage") == "urgence_immediate"


@pytest.mark.parametrize("sender", [None, "", "   ", 42, ["x"], {"a": 1}, "x" * 129, True])
def test_a_missing_or_bad_sender_gets_a_clear_client_error(assistant, sender):
    body = {"message": "bonjour"} if sender is None else {"sender": sender, "message": "bonjour"}
    response = requests.post(f"{assistant.url}/webhooks/rest/webhook", json=body, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_sender" and "sender" in response.json()["message"]


def test_malformed_json_gets_a_clear_client_error(assistant):
    response = requests.post(
        f"{assistant.url}/webhooks/rest/webhook",
        data='{"sender": "x", "message": ',
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["message"]


@pytest.mark.parametrize(
    "body", [{"sender": "x", "message": {"a": 1}}, ["une", "liste"], {"sender": "x", "message": 42}]
)
def test_a_message_of_the_wrong_shape(assistant, body):
    response = requests.post(f"{assistant.url}/webhooks/rest/webhook", json=body, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
