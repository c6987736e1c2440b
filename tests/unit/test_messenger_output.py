"""Every message the bot can send fits Messenger: each domain response and each knowledge
answer goes through the Messenger output channel, and its Send API calls are checked."""

import asyncio

import pytest

from actions.knowledge_base import KnowledgeBase
from assistant.channels.messenger import MessengerOutput, split_text
from content import read_domain
from tests.messenger_limits import problems_with

DOMAIN = read_domain()
KNOWLEDGE = KnowledgeBase.load()


class RecordingClient:
    def __init__(self):
        self.messages = []

    def send(self, payload, recipient_id, messaging_type="RESPONSE"):
        self.messages.append(payload)

    def send_action(self, action, recipient_id):
        pass


def sent(response):
    client = RecordingClient()
    asyncio.run(MessengerOutput(client).send_response("user", dict(response)))
    return client.messages


def default_variants():
    for name, variants in DOMAIN["responses"].items():
        for variant in variants:
            if variant.get("channel") in (None, "facebook"):
                yield name, {k: v for k, v in variant.items() if k != "channel"}


def knowledge_answers():
    """Every reviewed entry and honest gap, with its buttons, in both wordings."""
    for entry in map(KNOWLEDGE.entry_by_id, KNOWLEDGE.cell_ids()):
        buttons = [
            {"title": e.title, "payload": KNOWLEDGE.subjects[e.subject].payload(e.aspect)}
            for e in KNOWLEDGE.next_entries(entry)
        ]
        yield entry.id, {"text": entry.text, "buttons": buttons}
        yield f"{entry.id}-simple", {"text": entry.simple, "buttons": buttons}


@pytest.mark.parametrize("name, response", list(default_variants()) + list(knowledge_answers()))
def test_every_message_fits_messenger(name, response):
    messages = sent(response)
    assert messages
    assert not [p for m in messages for p in problems_with(m)]
    shown = " ".join(m.get("text") or m["attachment"]["payload"]["text"] for m in messages)
    assert shown.split() == response["text"].split()  # nothing lost


def test_more_than_three_buttons_become_quick_replies():
    buttons = [{"title": f"Sujet numéro {i} très long", "payload": f"/ask_{i}"} for i in range(5)]
    [message] = sent({"text": "Choisissez un sujet.", "buttons": buttons})
    assert len(message["quick_replies"]) == 5
    assert all(len(q["title"]) <= 20 for q in message["quick_replies"])
    assert [q["payload"] for q in message["quick_replies"]] == [b["payload"] for b in buttons]


def test_a_long_text_with_buttons_becomes_text_and_quick_replies():
    text = "Une phrase d'explication assez longue pour le patient. " * 60
    messages = sent({"text": text, "buttons": [{"title": "Oui", "payload": "/affirm"}]})
    assert len(messages) >= 2 and "quick_replies" in messages[-1]
    assert not [p for m in messages for p in problems_with(m)]


def test_split_text_keeps_sentences_and_words():
    text = ("Première phrase. " * 150).strip()
    parts = split_text(text, 2000)
    assert all(len(part) <= 2000 for part in parts)
    assert " ".join(parts).split() == text.split()
    assert all(part.endswith(".") for part in parts)
