"""The widget with a stand-in socket (config.io), for the payloads the real bot does not send
on demand: the urgence_24h level, entity payloads on buttons, HTML in bot messages."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import Chat, assert_contrast, screenshot

FAKE_SOCKET = """
window.__fake = {emitted: [], socket: null};
window.MetastasesChatConfig = {io: function () {
  const handlers = {};
  const socket = {
    connected: false,
    io: {on() {}},
    on(event, fn) { (handlers[event] = handlers[event] || []).push(fn); return socket; },
    fire(event, data) { (handlers[event] || []).forEach(fn => fn(data)); },
    emit(event, data) {
      window.__fake.emitted.push([event, data]);
      if (event === 'session_request')
        setTimeout(() => socket.fire('session_confirm', data.session_id || 'mock-session'), 0);
      return socket;
    },
    connect() { setTimeout(() => { socket.connected = true; socket.fire('connect'); }, 0); return socket; },
    disconnect() { socket.connected = false; return socket; },
  };
  window.__fake.socket = socket;
  socket.connect();
  return socket;
}};
window.__fake.bot = data => window.__fake.socket.fire('bot_uttered', data);
"""


@pytest.fixture
def mock_chat(page, dead_page_server):
    page.add_init_script(FAKE_SOCKET)
    chat = Chat(page).open(dead_page_server.url)
    chat.wait_online(timeout=5_000)
    return chat


def bot(chat: Chat, data) -> None:
    chat.page.evaluate("data => window.__fake.bot(data)", data)


def emitted(chat: Chat):
    return chat.page.evaluate("window.__fake.emitted")


def test_session_request_then_init_payload(mock_chat):
    assert emitted(mock_chat)[:2] == [
        ["session_request", {"session_id": None}],
        ["user_uttered", {"message": "/session_start", "session_id": "mock-session"}],
    ]


def test_urgence_24h_display_and_levels(mock_chat):
    page = mock_chat.page
    bot(
        mock_chat,
        {
            "text": "À voir aujourd'hui. Contactez votre équipe ; sinon appelez le 15.",
            "triage": "urgence_24h",
        },
    )
    message = page.locator('.mc-msg-bot[data-triage="urgence_24h"]')
    expect(message).to_have_attribute("role", "alert")
    expect(message).to_have_class(re.compile(r"\bmc-msg-urgent\b"))
    expect(mock_chat.host).to_have_attribute("data-triage", "urgence_24h")
    expect(mock_chat.urgent_banner).to_be_visible()
    expect(mock_chat.urgent_banner).to_contain_text("aujourd'hui")
    expect(mock_chat.urgent_banner).to_contain_text("112")
    screenshot(page, "mock-urgence-24h")
    assert_contrast(page)

    bot(mock_chat, {"text": "Appelez maintenant le 15.", "triage": "urgence_immediate"})
    expect(mock_chat.host).to_have_attribute("data-triage", "urgence_immediate")
    expect(mock_chat.urgent_banner).to_have_attribute("data-triage", "urgence_immediate")
    # A lower level afterwards does not lower the banner.
    bot(mock_chat, {"text": "Signe d'alerte.", "triage": "urgence_24h"})
    expect(page.locator(".mc-msg-urgent")).to_have_count(3)
    expect(mock_chat.urgent_banner).to_have_attribute("data-triage", "urgence_immediate")
    assert mock_chat.stored()["triage"] == "urgence_immediate"


def test_urgent_display_follows_the_triage_field_not_the_text(mock_chat):
    page = mock_chat.page
    bot(mock_chat, {"text": "⚠️ URGENCE : appelez le 15 ou le 112."})
    bot(mock_chat, {"text": "Vous ne décrivez pas de signe d'alerte.", "triage": "non_urgent"})
    bot(mock_chat, {"text": "Texte ordinaire.", "triage": "inconnu"})
    expect(mock_chat.bot_messages).to_have_count(3)
    expect(page.locator(".mc-msg-urgent")).to_have_count(0)
    expect(mock_chat.urgent_banner).to_be_hidden()
    bot(mock_chat, {"text": "Texte ordinaire.", "triage": "urgence_immediate"})
    expect(page.locator(".mc-msg-urgent")).to_have_count(1)
    expect(mock_chat.urgent_banner).to_be_visible()


def test_quick_reply_payload_with_entities_is_sent_verbatim(mock_chat):
    page = mock_chat.page
    payload = '/ask_exams{"exam":"irm"}'
    bot(
        mock_chat,
        {
            "text": "Quel examen ?",
            "quick_replies": [
                {"content_type": "text", "title": "IRM", "payload": payload},
                {
                    "content_type": "text",
                    "title": "Scanner",
                    "payload": '/ask_exams{"exam":"scanner"}',
                },
            ],
        },
    )
    page.get_by_role("button", name="IRM").click()
    expect(mock_chat.user_messages.last).to_have_text(re.compile("IRM"))
    assert emitted(mock_chat)[-1] == [
        "user_uttered",
        {"message": payload, "session_id": "mock-session"},
    ]
    expect(mock_chat.quick_replies).to_have_count(0)


def test_bot_html_and_unknown_payloads(mock_chat):
    page = mock_chat.page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    html = '<img src=x onerror=alert(1)><a href="javascript:alert(3)">lien</a>'
    bot(
        mock_chat, {"text": html, "quick_replies": [{"title": "<b>gras</b>", "payload": "/affirm"}]}
    )
    bot(mock_chat, {"some": "custom object"})  # nothing to show
    bot(mock_chat, {"attachment": {"type": "image", "payload": {"src": "javascript:alert(4)"}}})
    expect(mock_chat.bot_messages).to_have_count(1)
    expect(mock_chat.bot_messages.first.locator(".mc-text")).to_have_text(html)
    expect(mock_chat.quick_replies).to_have_text(["<b>gras</b>"])
    page.wait_for_timeout(300)
    counts = page.evaluate(
        """() => { const root = document.getElementById('metastases-chat').shadowRoot;
                   return [root.querySelectorAll('img, .mc-messages a, b').length,
                           document.querySelectorAll('img').length]; }"""
    )
    assert counts == [0, 0]
    assert dialogs == []
    assert json.dumps(mock_chat.stored()).count("gras") == 1
    assert not page.js_errors
