"""The assistant over its REST channel and HTTP API, as patients and staff use it."""

import requests

from tools.client import new_sender, texts

WELCOME_WORDS = ("diagnostic", "15", "112")


def test_a_session_opens_with_the_welcome_then_the_answer(client):
    replies = client.send("c'est quoi une cimentoplastie ?")
    assert len(replies) >= 2
    welcome, answer = replies[0]["text"], replies[-1]["text"]
    assert all(word in welcome for word in WELCOME_WORDS)
    assert "cimentoplastie" in answer.lower()
    assert 1 <= len(replies[-1]["buttons"]) <= 3


def test_a_related_topic_button_asks_its_question(client):
    sender = new_sender()
    replies = client.send("quels examens pour les metastases vertebrales ?", sender)
    button = replies[-1]["buttons"][0]
    followup = client.send(button["payload"], sender)
    assert followup and followup[-1]["text"] != replies[-1]["text"]


def test_the_triage_verdict_is_in_the_tracker_of_the_http_api(client):
    sender = new_sender()
    client.send("mon père ne peut plus se lever depuis ce matin, ses jambes lâchent", sender)
    assert client.slot(sender, "triage") == "urgence_immediate"


def test_the_http_api_needs_the_token(assistant):
    sender = new_sender()
    url = f"{assistant.url}/conversations/{sender}/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=10).status_code == 401
    assert requests.get(url, params={"token": assistant.token}, timeout=10).status_code == 200


def test_the_warning_sign_questions_end_with_a_verdict(client):
    sender = new_sender()
    first = texts(client.send("j'ai mal au dos depuis quelques jours", sender))
    assert "1/5" in first
    for answer, expected in (
        ("non", "2/5"),
        ("non", "3/5"),
        ("non pas du tout", "4/5"),
        ("oui surtout la nuit", "5/5"),
    ):
        assert expected in texts(client.send(answer, sender))
    verdict = texts(client.send("non", sender))
    assert "aujourd'hui" in verdict
    assert client.slot(sender, "triage") == "urgence_24h"
