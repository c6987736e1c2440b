"""The widget when the bot cannot be reached: offline message, "Réessayer", automatic
reconnection, and messages typed offline sent once the connection is back."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_axe_violations
from tests.browser.support import (
    FALLBACK,
    Chat,
    TcpForwarder,
    assert_contrast,
    screenshot,
    tracker_user_texts,
)


def expect_offline(chat: Chat) -> None:
    expect(chat.host).to_have_attribute("data-connection", "offline", timeout=20_000)
    expect(chat.status).to_be_visible()
    expect(chat.status).to_contain_text("ne répond pas")
    expect(chat.status).to_contain_text("15")
    expect(chat.retry_button).to_be_visible()


def test_dead_server_offline_message_retry_and_queue(page, dead_page_server, assistant, ports):
    chat = Chat(page).open(dead_page_server.url)
    expect_offline(chat)
    expect(page.locator(".mc-emergency")).to_be_visible()

    # A message typed while offline is kept and marked as waiting.
    chat.send("Quels sont les symptômes ?")
    pending = chat.user_messages.last
    expect(pending).to_have_attribute("data-pending", "true")
    expect(pending).to_contain_text("En attente d'envoi")
    expect(chat.input).to_have_value("")
    screenshot(page, "offline-dead-server")
    assert_contrast(page)
    assert_no_axe_violations(page, "offline, a message waiting")

    # The server comes up on that port; "Réessayer" connects at once.
    forwarder = TcpForwarder(ports["dead_rasa"], assistant.rasa_port).start()
    try:
        chat.retry_button.click()
        # The button hides while connecting: the focus goes back to the input.
        assert "mc-input" in chat.focused()["cls"]
        expect(chat.host).to_have_attribute("data-connection", "online", timeout=8_000)
        expect(chat.status).to_be_hidden()
        expect(pending).not_to_have_attribute("data-pending", "true")
        page.wait_for_function(
            """() => document.getElementById('metastases-chat').shadowRoot
                        .querySelectorAll('.mc-msg-bot').length >= 2""",
            timeout=45_000,
        )
        chat.settle()
        answers = "\n".join(chat.bot_messages.all_inner_texts())
        assert "Bonjour" in answers  # the new session's welcome
        assert re.search(r"douleur|symptôme", answers.split("Bonjour", 1)[1], re.I), answers
        assert "Quels sont les symptômes ?" in tracker_user_texts(assistant, chat.session_id())
        assert chat.stored()["messages"][0].get("pending") is False
    finally:
        forwarder.stop()
    assert not page.js_errors


def test_server_stopped_then_automatic_reconnection(chat, assistant):
    page = chat.page
    session_id = chat.session_id()
    try:
        assistant.rasa.stop()
        expect_offline(chat)
        chat.send("Quels traitements existent ?")
        expect(chat.user_messages.last).to_have_attribute("data-pending", "true")
        screenshot(page, "offline-server-stopped")

        count = chat.bot_count()
        assistant.rasa.start()
        assistant.wait_for_rasa()
        # No click: socket.io reconnects by itself (backoff at most 10 s).
        expect(chat.host).to_have_attribute("data-connection", "online", timeout=30_000)
        expect(chat.user_messages.last).not_to_have_attribute("data-pending", "true")
        answer = chat.wait_bot_reply(after=count)
        assert FALLBACK not in answer
        assert chat.session_id() == session_id
        assert "Quels traitements existent ?" in tracker_user_texts(assistant, session_id)
    finally:
        if not assistant.rasa.running:
            assistant.rasa.start()
            assistant.wait_for_rasa()
    assert not page.js_errors
