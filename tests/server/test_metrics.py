"""/metrics on a running server, after a conversation with an urgent referral, a question
the article does not cover, a message the bot does not understand and an action-server
failure. Counts are compared before and after: other tests share the server."""

from typing import Dict, Tuple

import requests
from prometheus_client.parser import text_string_to_metric_families

from tools.client import new_sender, texts

Samples = Dict[Tuple[str, Tuple[Tuple[str, str], ...]], float]


def scrape(assistant) -> Tuple[Samples, str]:
    response = requests.get(assistant.metrics_url(), timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples, response.text


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_metrics_count_a_conversation_with_an_urgent_referral(assistant, client):
    before, _ = scrape(assistant)
    sender = new_sender()
    sent = [
        "bonjour",
        "mes jambes ne me portent plus depuis ce matin",
        "quelle est la meilleure recette de tarte aux pommes ?",
        "ꙮꙮ ꙮꙮ",  # words in no language the model has seen: a fallback
        "c'est long une radiothérapie ?",  # an honest gap of the knowledge base
    ]
    replies = [texts(client.send(text, sender)) for text in sent]
    assert "15" in replies[1] and client.slot(sender, "triage") == "urgence_immediate"
    assistant.stop_actions()
    try:
        unavailable = texts(client.send("quels sont les traitements ?", new_sender()))
    finally:
        assistant.start_actions()
    assert "problème technique" in unavailable
    after, exposition = scrape(assistant)

    assert delta(before, after, "metastases_messages_total", channel="rest") == 6
    assert delta(before, after, "metastases_reply_seconds_count", channel="rest") == 6
    assert delta(before, after, "metastases_urgent_referrals_total", level="urgence_immediate") == 1
    assert delta(before, after, "metastases_urgent_referrals_total", level="urgence_24h") == 0
    assert delta(before, after, "metastases_honest_gap_answers_total") == 2
    assert delta(before, after, "metastases_fallbacks_total") == 1
    assert delta(before, after, "metastases_action_server_errors_total") == 1
    for text in sent:
        assert text not in exposition
    assert sender not in exposition


def test_metrics_are_not_on_the_public_port(assistant):
    assert requests.get(f"{assistant.url}/metrics", timeout=10).status_code == 404
