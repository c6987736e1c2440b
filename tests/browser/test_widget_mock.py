"""The widget with a stand-in socket (config.io), for the payloads the real bot does not send
on demand: the urgence_24h level, entity payloads on buttons, HTML in bot messages; and for
what a screen reader hears (live regions) and the animations."""

from __future__ import annotations

import json
import re

import pytest
import requests
from playwright.sync_api import expect

from assistant.channels.limits import MAX_MESSAGE_CHARS
from tests.browser.accessibility import assert_no_axe_violations, ax_tree
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
    expect(
        message.get_by_role("alert", name="Signe d'alerte : à voir aujourd'hui")
    ).to_contain_text("Contactez votre équipe")
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


def test_triage_values_inherited_from_object_are_ignored_and_the_message_kept(mock_chat):
    page = mock_chat.page
    for level in ("constructor", "__proto__", "toString", "hasOwnProperty"):
        bot(mock_chat, {"text": f"Message {level}.", "triage": level})
    expect(mock_chat.bot_messages).to_have_count(4)
    expect(page.locator(".mc-msg-urgent")).to_have_count(0)
    expect(mock_chat.urgent_banner).to_be_hidden()


def test_the_message_cap_comes_from_the_channels_setting(mock_chat):
    field = mock_chat.page.locator("textarea.mc-input")
    expect(field).to_have_attribute("maxlength", str(MAX_MESSAGE_CHARS))


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


def test_buttons_without_a_title_are_left_out(mock_chat):
    bot(
        mock_chat,
        {
            "text": "Choisissez.",
            "quick_replies": [
                {"title": "  ", "payload": "/deny"},
                {"title": "Oui", "payload": "/affirm"},
            ],
        },
    )
    expect(mock_chat.quick_replies).to_have_text(["Oui"])
    assert_no_axe_violations(mock_chat.page, "a button without a title in the payload")


def test_answers_are_polite_urgent_messages_assertive_and_not_announced_again(mock_chat):
    page = mock_chat.page
    bot(mock_chat, {"text": "Une réponse."})
    bot(mock_chat, {"text": "Appelez le 15.", "triage": "urgence_immediate"})
    expect(mock_chat.bot_messages).to_have_count(2)
    messages = ax_tree(page).one("list", "Conversation avec l'assistant")
    assert (messages.properties["live"], messages.properties["relevant"]) == ("polite", "additions")
    answer, urgent = messages.find("listitem")
    assert answer.text == "Assistant : Une réponse." and not answer.find("alert")
    alert = urgent.one("alert", "Urgence")
    assert alert.properties["live"] == "assertive" and alert.text == "Appelez le 15."

    # Reloaded, the history is shown again but not announced again: no alert any more, the
    # label is read with the message.
    page.reload()
    mock_chat.wait_online(timeout=5_000)
    expect(mock_chat.bot_messages).to_have_count(2)
    messages = ax_tree(page).one("list", "Conversation avec l'assistant")
    assert not messages.find("alert")
    assert messages.find("listitem")[1].text == "Assistant : Urgence Appelez le 15."
    expect(page.locator(".mc-msg-urgent .mc-urgent-label")).to_have_text(re.compile("Urgence"))


ANIMATIONS_JS = """() => [...document.getElementById('metastases-chat').shadowRoot.querySelectorAll('*')]
  .map(el => getComputedStyle(el))
  .filter(style => style.animationName !== 'none' || style.transitionDuration.split(',').some(d => parseFloat(d) > 0))
  .length"""


def test_animations_follow_prefers_reduced_motion(mock_chat):
    page = mock_chat.page
    mock_chat.send("Bonjour")  # the stand-in socket never answers: the typing dots stay
    expect(mock_chat.typing).to_be_visible()
    assert page.evaluate(ANIMATIONS_JS) == 3  # the three dots
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(ANIMATIONS_JS) == 0
    expect(mock_chat.typing).to_contain_text("L'assistant écrit")


def test_an_unknown_mode_is_reported_and_falls_back_to_the_floating_button(page, dead_page_server):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    html = requests.get(dead_page_server.url, timeout=10).text
    assert html.count('data-mode="inline"') == 1
    page.route(
        dead_page_server.url,
        lambda route: route.fulfill(
            body=html.replace('data-mode="inline"', 'data-mode="popup"'), content_type="text/html"
        ),
    )
    page.goto(dead_page_server.url)
    expect(page.locator(".mc-launcher")).to_be_visible()
    assert 'MetastasesChat: data-mode must be "inline" or "floating", not "popup"' in errors
    assert not page.js_errors
