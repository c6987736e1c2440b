"""The Messenger webhook's signature, shape and replay checks."""

import hashlib
import hmac
import json

import pytest

from assistant.channels.messenger_events import (
    Event,
    MalformedEventError,
    SeenMessages,
    read_events,
    signature_is_valid,
)

BODY = b'{"entry": []}'


def sign(digest, body=BODY, secret="s"):
    return hmac.new(secret.encode(), body, digest).hexdigest()


def test_sha256_is_checked_first_and_sha1_only_without_it():
    assert signature_is_valid("s", BODY, {"X-Hub-Signature-256": "sha256=" + sign(hashlib.sha256)})
    assert signature_is_valid("s", BODY, {"X-Hub-Signature": "sha1=" + sign(hashlib.sha1)})
    both = {
        "X-Hub-Signature-256": "sha256=" + "0" * 64,
        "X-Hub-Signature": "sha1=" + sign(hashlib.sha1),
    }
    assert not signature_is_valid("s", BODY, both)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Hub-Signature": "foo=abc"},
        {"X-Hub-Signature": "md5=" + sign(hashlib.md5)},
        {"X-Hub-Signature": "sha256=" + sign(hashlib.sha256)},
        {"X-Hub-Signature-256": "sha1=" + sign(hashlib.sha1)},
        {"X-Hub-Signature": "garbage"},
        {"X-Hub-Signature": "sha1=" + sign(hashlib.sha1, secret="other")},
    ],
)
def test_other_algorithms_and_forgeries_are_refused(headers):
    assert not signature_is_valid("s", BODY, headers)


def test_no_secret_accepts_nothing():
    assert not signature_is_valid(
        "", BODY, {"X-Hub-Signature": "sha1=" + sign(hashlib.sha1, secret="")}
    )


def messaging(**event):
    return {"entry": [{"messaging": [{"sender": {"id": "42"}, **event}]}]}


def test_events_are_read():
    payload = {
        "entry": [
            {
                "messaging": [
                    {"sender": {"id": "1"}, "message": {"mid": "m1", "text": "bonjour"}},
                    {
                        "sender": {"id": 2},
                        "message": {
                            "mid": "m2",
                            "quick_reply": {"payload": "/affirm"},
                            "text": "Oui",
                        },
                    },
                    {"sender": {"id": "3"}, "postback": {"mid": "m3", "payload": "/deny"}},
                    {"sender": {"id": "4"}, "message": {"mid": "m4", "text": "x", "is_echo": True}},
                    {
                        "sender": {"id": "5"},
                        "message": {"mid": "m5", "attachments": [{"type": "location"}]},
                    },
                ]
            }
        ]
    }
    assert read_events(payload) == [
        Event("1", "bonjour", "m1"),
        Event("2", "/affirm", "m2"),
        Event("3", "/deny", "m3"),
        Event("4", None, "m4"),
        Event("5", None, "m5"),
    ]


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "text",
        {},
        {"entry": "x"},
        {"entry": [1]},
        {"entry": [{"messaging": {}}]},
        {"entry": [{"messaging": [1]}]},
        {"entry": [{"messaging": [{"sender": {"id": None}}]}]},
        {"entry": [{"messaging": [{"sender": {"id": True}}]}]},
        {"entry": [{"messaging": [{"sender": {"id": ""}}]}]},
        {"entry": [{"messaging": [{"sender": {"id": "x" * 500}}]}]},
        messaging(message="text"),
        messaging(postback=[1]),
    ],
)
def test_other_shapes_are_malformed(payload):
    with pytest.raises(MalformedEventError):
        read_events(json.loads(json.dumps(payload)))


def test_a_message_id_is_new_once_within_the_window():
    now = [0.0]
    seen = SeenMessages(window=60, clock=lambda: now[0])
    assert seen.first_time("m1") and not seen.first_time("m1")
    assert seen.first_time(None) and seen.first_time(None)
    now[0] = 61
    assert seen.first_time("m1")


def test_the_oldest_ids_are_forgotten_beyond_the_capacity():
    seen = SeenMessages(capacity=2)
    assert seen.first_time("a") and seen.first_time("b") and seen.first_time("c")
    assert seen.first_time("a")
