"""Signed socket.io session ids and channel namespaces."""

import pytest

from assistant.channels.sessions import SessionSigner, namespaced


def test_an_issued_session_verifies_and_a_forged_one_does_not():
    signer = SessionSigner("secret")
    token = signer.issue()
    session = signer.verify(token)
    assert session and token.startswith(session)
    assert SessionSigner("other").verify(token) is None
    forged = session + "." + "0" * 64
    for bad in (session, forged, "", None, 42, ["x"], "x" * 500, token + "x"):
        assert signer.verify(bad) is None


def test_an_empty_secret_is_refused():
    with pytest.raises(ValueError, match="make env"):
        SessionSigner("")


def test_senders_are_namespaced_by_channel():
    assert namespaced("rest", "socketio:abc") == "rest:socketio:abc"
