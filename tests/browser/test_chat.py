"""The chat widget in Chromium against the real assistant (Rasa + action server, socket.io
channel): welcome, answers, quick replies, the urgent display driven by the triage field,
reload, HTML injection, keyboard use, new conversation, mobile layout."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_axe_violations
from tests.browser.support import (
    FALLBACK,
    Chat,
    assert_contrast,
    screenshot,
    tracker_user_texts,
)

NEURO_WARNING = "Depuis ce matin mes jambes lâchent et je ne sens plus mes pieds"
INJECTION = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def test_welcome_disclaimer_and_emergency_numbers(chat):
    page = chat.page
    expect(page.locator(".mc-disclaimer")).to_be_visible()
    expect(page.locator(".mc-disclaimer")).to_contain_text("pas un diagnostic")
    emergency = page.locator(".mc-emergency")
    expect(emergency).to_be_visible()
    expect(emergency.locator('a[href="tel:15"]')).to_have_text("15 (SAMU)")
    expect(emergency.locator('a[href="tel:112"]')).to_have_text("112")

    # One welcome (not two: see actions/session.py), with its buttons.
    expect(chat.bot_messages).to_have_count(1)
    expect(chat.bot_messages.first).to_contain_text("pas de diagnostic")
    expect(chat.quick_replies).to_have_text(["Symptômes", "Examens", "Traitements"])
    # The welcome names 15 and 112, yet it is not shown as urgent: only `triage` drives that.
    assert chat.host.get_attribute("data-triage") is None
    expect(page.locator(".mc-msg-urgent")).to_have_count(0)
    expect(chat.urgent_banner).to_be_hidden()

    log = page.locator(".mc-messages")
    expect(log).to_have_attribute("aria-live", "polite")
    assert log.evaluate("el => el.tagName") == "OL"
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert chat.session_id()
    screenshot(page, "desktop-welcome")
    assert_contrast(page)
    assert not page.js_errors


def test_question_gets_an_answer_with_typing_indicator(chat):
    page = chat.page
    page.evaluate(
        """() => {
            const host = document.getElementById('metastases-chat');
            window.__typingSeen = false;
            new MutationObserver(() => {
                if (host.getAttribute('data-typing') === 'true') window.__typingSeen = true;
            }).observe(host, {attributes: true, attributeFilter: ['data-typing']});
        }"""
    )
    chat.send("Quels sont les symptômes ?")
    expect(chat.user_messages.last).to_have_text(re.compile("Quels sont les symptômes \\?"))
    expect(chat.input).to_have_value("")
    answer = chat.wait_bot_reply(after=1)
    assert FALLBACK not in answer
    assert re.search(r"douleur|symptôme", answer, re.I), answer
    assert page.evaluate("window.__typingSeen"), "the typing indicator was never shown"
    expect(chat.typing).to_be_hidden()
    assert not page.js_errors


def test_quick_reply_sends_its_payload_and_shows_its_title(chat, assistant):
    page = chat.page
    page.get_by_role("button", name="Examens").click()
    expect(chat.user_messages.last).to_have_text(re.compile("Examens"))
    answer = chat.wait_bot_reply(after=1)
    assert FALLBACK not in answer
    assert re.search(r"IRM|scanner|examen", answer, re.I), answer
    # The welcome's buttons are gone once answered.
    expect(chat.bot_messages.first.locator(".mc-quick-replies")).to_have_count(0)
    # Rasa got the payload, not the title.
    sent = tracker_user_texts(assistant, chat.session_id())
    assert "/ask_exams" in sent, sent
    assert "Examens" not in sent, sent


def test_neurological_warning_sign_shows_the_urgent_display(chat):
    page = chat.page
    chat.send(NEURO_WARNING)
    urgent = page.locator('.mc-msg-bot[data-triage="urgence_immediate"]')
    expect(urgent).to_have_count(1)
    expect(urgent.locator('[role="alert"]')).to_contain_text("15")
    expect(urgent).to_have_class(re.compile(r"\bmc-msg-urgent\b"))
    expect(urgent.locator(".mc-urgent-label")).to_contain_text("Urgence")
    expect(urgent.locator(".mc-urgent-label .mc-icon")).to_have_text("⚠")
    assert re.search(r"\b(15|112)\b", urgent.inner_text())

    # Persistent banner, driven by the same field.
    expect(chat.host).to_have_attribute("data-triage", "urgence_immediate")
    expect(chat.urgent_banner).to_be_visible()
    expect(chat.urgent_banner).to_have_attribute("role", "region")
    expect(chat.urgent_banner).to_have_attribute("data-triage", "urgence_immediate")
    expect(chat.urgent_banner.locator('a[href="tel:15"]')).to_be_visible()
    expect(chat.urgent_banner.locator('a[href="tel:112"]')).to_be_visible()

    # Colours distinct from an ordinary answer.
    colours = page.evaluate(
        """() => {
            const root = document.getElementById('metastases-chat').shadowRoot;
            const style = el => getComputedStyle(el);
            const urgent = root.querySelector('.mc-msg-urgent');
            const normal = root.querySelector('.mc-msg-bot:not(.mc-msg-urgent)');
            return {urgent: style(urgent).backgroundColor, normal: style(normal).backgroundColor,
                    border: style(urgent).borderLeftColor};
        }"""
    )
    assert colours["urgent"] != colours["normal"], colours
    chat.settle()
    screenshot(page, "desktop-urgent")
    assert_contrast(page)

    # Still there after a reload.
    page.reload()
    chat.wait_online()
    expect(chat.urgent_banner).to_be_visible()
    expect(page.locator('.mc-msg-bot[data-triage="urgence_immediate"]')).to_have_count(1)
    assert not page.js_errors


def test_reload_keeps_the_conversation_and_its_session(chat, assistant):
    page = chat.page
    chat.send("Qu'est-ce qu'une métastase vertébrale ?")
    chat.wait_bot_reply(after=1)
    before = chat.texts()
    session_id = chat.session_id()

    page.reload()
    chat.wait_online()
    chat.settle(1500)
    assert chat.texts() == before  # same history, no second welcome
    assert chat.session_id() == session_id

    count = chat.bot_count()
    chat.send("Quels traitements existent ?")
    answer = chat.wait_bot_reply(after=count)
    assert FALLBACK not in answer
    sent = tracker_user_texts(assistant, session_id)
    assert (
        "Qu'est-ce qu'une métastase vertébrale ?" in sent and "Quels traitements existent ?" in sent
    ), sent


def test_html_is_shown_as_text(chat):
    page = chat.page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    chat.send(INJECTION)
    bubble = chat.user_messages.last.locator(".mc-text")
    expect(bubble).to_have_text(INJECTION)
    chat.wait_bot_reply(after=1)
    page.wait_for_timeout(500)

    def markup():
        return page.evaluate(
            """() => {
                const root = document.getElementById('metastases-chat').shadowRoot;
                const last = [...root.querySelectorAll('.mc-msg-user .mc-text')].pop();
                return {img: root.querySelectorAll('img').length + document.querySelectorAll('img').length,
                        script: root.querySelectorAll('.mc-messages script').length,
                        html: last.innerHTML};
            }"""
        )

    found = markup()
    assert found["img"] == 0 and found["script"] == 0, found
    assert found["html"].startswith("&lt;img src=x"), found
    assert dialogs == []

    page.reload()  # the history stored in sessionStorage is re-rendered as text too
    chat.wait_online()
    expect(chat.user_messages.last.locator(".mc-text")).to_have_text(INJECTION)
    page.wait_for_timeout(500)
    assert markup()["img"] == 0
    assert dialogs == []
    assert not page.js_errors


def test_keyboard_only(chat):
    page = chat.page
    seen = []
    for _ in range(25):
        page.keyboard.press("Tab")
        focused = chat.focused()
        if focused and focused["inWidget"]:
            seen.append(focused)
            assert focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2, focused
        if focused and focused["tag"] == "button" and focused["text"] == "Envoyer":
            break
    names = [f["text"] if f["tag"] != "textarea" else "<textarea>" for f in seen]
    for expected in (
        "Nouvelle conversation",
        "15 (SAMU)",
        "112",
        "Symptômes",
        "Examens",
        "Traitements",
        "<textarea>",
        "Envoyer",
    ):
        assert expected in names, names

    # A quick reply with the keyboard.
    page.get_by_role("button", name="Symptômes").focus()
    page.keyboard.press("Enter")
    expect(chat.user_messages.last).to_have_text(re.compile("Symptômes"))
    chat.wait_bot_reply(after=1)
    assert chat.focused()["tag"] == "textarea"

    # Enter sends; the input is emptied.
    count = chat.bot_count()
    page.keyboard.type("Quels examens faut-il faire ?")
    page.keyboard.press("Enter")
    expect(chat.user_messages.last).to_have_text(re.compile("Quels examens faut-il faire"))
    expect(chat.input).to_have_value("")
    answer = chat.wait_bot_reply(after=count)
    assert FALLBACK not in answer


def test_new_conversation_clears_the_session(chat):
    chat.send(NEURO_WARNING)
    expect(chat.urgent_banner).to_be_visible()
    chat.settle()
    old_session = chat.session_id()

    chat.new_button.click()
    expect(chat.user_messages).to_have_count(0)
    expect(chat.urgent_banner).to_be_hidden()
    assert chat.host.get_attribute("data-triage") is None
    chat.wait_online()
    chat.wait_welcome()
    chat.settle()
    expect(chat.bot_messages).to_have_count(1)
    new_session = chat.session_id()
    assert new_session and new_session != old_session
    stored = chat.stored()
    assert stored["triage"] is None and len(stored["messages"]) == 1
    assert "mc-input" in chat.focused()["cls"]


def test_floating_launcher(page, page_server):
    chat = Chat(page).open_floating(page_server.url)
    chat.wait_welcome()
    launcher, panel = chat.launcher, chat.panel
    expect(panel).to_be_visible()
    page.get_by_role("button", name="Fermer").click()
    expect(panel).to_be_hidden()
    expect(launcher).to_be_visible()
    expect(launcher).to_contain_text("15")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(panel).to_be_visible()
    assert "mc-input" in chat.focused()["cls"]
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert not page.js_errors


def test_mobile_layout_375px(mobile_page, page_server):
    page = mobile_page
    chat = Chat(page).open_floating(page_server.url)
    chat.wait_online()
    chat.wait_welcome()
    chat.settle()
    width = page.viewport_size["width"]
    height = page.viewport_size["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    def inside(locator):
        box = locator.bounding_box()
        assert box, locator
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, box
        assert box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5, box

    for locator in (
        page.locator(".mc-panel"),
        page.locator(".mc-emergency"),
        page.locator(".mc-disclaimer"),
        chat.input,
        chat.send_button,
        chat.new_button,
    ):
        inside(locator)
    for button in chat.quick_replies.all():
        assert button.bounding_box()["height"] >= 44  # touch target
    screenshot(page, "mobile-375-welcome")
    assert_no_axe_violations(page, "floating panel at 375 px")

    chat.send(NEURO_WARNING)
    expect(page.locator('.mc-msg-bot[data-triage="urgence_immediate"]')).to_have_count(1)
    chat.settle()
    for locator in (
        page.locator(".mc-emergency"),
        chat.urgent_banner,
        chat.input,
        chat.send_button,
    ):
        inside(locator)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, "mobile-375-urgent")
    assert_no_axe_violations(page, "floating panel at 375 px, urgent")

    # The embedded panel of the demo page fits the width too.
    page.goto(page_server.url)
    chat.wait_online()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, "mobile-375-embedded", full_page=True)
    assert not page.js_errors
