"""What every channel does before Rasa reads a message: the cap, and "/" read as text unless it
is exactly a button payload of a known intent."""

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from assistant.channels.guard import domain_intents, guarded, too_long_text
from assistant.channels.limits import MAX_MESSAGE_CHARS
from assistant.channels.payloads import as_plain_text, is_button_payload


@pytest.mark.parametrize(
    "text",
    ["/affirm", "/session_start", '/ask_symptoms{"symptome": "douleur"}', " /deny "],
)
def test_button_payloads_of_known_intents(text):
    assert is_button_payload(text, domain_intents())


@pytest.mark.parametrize(
    "text",
    [
        "/je n'arrive plus à bouger les jambes",
        "/unknown_intent",
        "/affirm{not json}",
        "/affirm[1, 2]",
        '/affirm{"a": 1} et encore',
        "/affirm@0.9",
        "/",
        "//affirm",
    ],
)
def test_anything_else_is_text(text):
    assert not is_button_payload(text, domain_intents())


def test_the_leading_slashes_are_dropped_from_text():
    assert as_plain_text(" / /je n'arrive plus ") == "je n'arrive plus"


def run(text):
    forwarded = []

    async def on_new_message(message):
        forwarded.append(message.text)

    output = CollectingOutputChannel()
    asyncio.run(guarded(on_new_message)(UserMessage(text, output, "rest:x")))
    return forwarded, [m["text"] for m in output.messages]


def test_a_message_over_the_cap_gets_the_request_for_a_shorter_one_and_goes_no_further():
    forwarded, said = run("a" * (MAX_MESSAGE_CHARS + 1))
    assert forwarded == [] and said == [too_long_text()]
    assert "15" in too_long_text()


def test_a_message_at_the_cap_goes_on():
    assert run("a" * MAX_MESSAGE_CHARS) == (["a" * MAX_MESSAGE_CHARS], [])


def test_slash_text_goes_on_as_text_and_payloads_as_they_are():
    assert run("/je n'arrive plus à bouger les jambes")[0] == [
        "je n'arrive plus à bouger les jambes"
    ]
    assert run("/affirm")[0] == ["/affirm"]


def test_the_request_for_a_shorter_message_names_the_cap():
    assert f"{MAX_MESSAGE_CHARS:,}".replace(",", " ") in too_long_text()
