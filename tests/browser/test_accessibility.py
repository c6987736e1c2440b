"""Accessibility of the widget on the demo page (RGAA, WCAG 2.1 AA) against the real assistant:
axe-core finds no violation of the WCAG 2.1 A and AA rules in any state a patient meets,
Chromium's accessibility tree gives screen readers the right roles and names, the focus goes
where the patient expects it, and the text reflows at 320 px and at 200% zoom. The offline
state is checked in test_connection.py, 375 px in test_chat.py, reduced motion and the live
regions in test_widget_mock.py."""

from __future__ import annotations

from playwright.sync_api import expect

from content import WIDGET_TEXTS, read_yaml
from tests.browser.accessibility import assert_no_axe_violations, ax_tree
from tests.browser.support import Chat, assert_contrast, doc_screenshot, screenshot
from tests.doc_images import WIDGET_EMBED

TEXTS = read_yaml(WIDGET_TEXTS)
TEXT, TRIAGE = TEXTS["texts"], TEXTS["triage"]
QUESTION = "Quels examens faut-il faire ?"
BACK_PAIN = "J'ai mal au dos depuis une semaine"
FORM_BUTTONS = ["Oui", "Non", "Je ne sais pas"]
NEURO_WARNING = "Depuis ce matin mes jambes lâchent et je ne sens plus mes pieds"


def focus_in_input(chat: Chat) -> bool:
    return "mc-input" in chat.focused()["cls"]


def no_horizontal_scroll(page, width: int) -> None:
    sizes = page.evaluate(
        """() => {
            const root = document.getElementById('metastases-chat').shadowRoot;
            const wide = [...root.querySelectorAll('*')].filter(el => el.scrollWidth > el.clientWidth + 1
                && getComputedStyle(el).overflowX !== 'visible' && getComputedStyle(el).overflowX !== 'hidden');
            return {page: document.documentElement.scrollWidth,
                    scrolling: wide.map(el => el.className)};
        }"""
    )
    assert sizes["page"] <= width, sizes
    assert sizes["scrolling"] == [], sizes


def inside_viewport(page, *locators) -> None:
    viewport = page.viewport_size
    for locator in locators:
        box = locator.bounding_box()
        assert box, locator
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5, (locator, box)


def test_floating_button_closed_then_open(page, page_server):
    page.goto(page_server.url + "?mode=floating")
    chat = Chat(page)
    expect(chat.launcher).to_be_visible()
    expect(chat.panel).to_be_hidden()
    assert_no_axe_violations(page, "floating button, closed")
    launcher = ax_tree(page).one("button")
    assert TEXT["launcher"] in launcher.name and TEXT["launcherUrgent"] in launcher.name
    assert launcher.properties["expanded"] is False

    chat.launcher.click()
    chat.wait_online()
    chat.wait_welcome()
    chat.settle()
    assert focus_in_input(chat)
    assert_no_axe_violations(page, "floating panel, open")
    tree = ax_tree(page)
    dialog = tree.one("dialog", TEXT["title"])
    assert dialog.one("button", TEXT["close"]) and dialog.one("textbox", TEXT["inputLabel"])
    assert not tree.find("button", launcher.name)  # hidden while the panel is open

    chat.page.get_by_role("button", name=TEXT["close"]).click()
    assert "mc-launcher" in chat.focused()["cls"]
    assert ax_tree(page).one("button", launcher.name).properties["expanded"] is False
    assert not page.js_errors


def test_answer_form_question_and_urgent_display(chat):
    """One conversation through the states a patient meets, each checked by axe and read
    through Chromium's accessibility tree."""
    page = chat.page
    assert_no_axe_violations(page, "inline panel, welcome")
    doc_screenshot(page, WIDGET_EMBED)

    # An answer with buttons; the focus stays in the input after sending with the button.
    chat.input.fill(QUESTION)
    chat.send_button.click()
    assert focus_in_input(chat)
    chat.wait_bot_reply(after=1)
    answer_buttons = chat.quick_replies.all_inner_texts()
    assert answer_buttons, "the answer has no buttons"
    assert_no_axe_violations(page, "answer with buttons")

    tree = ax_tree(page)
    messages = tree.one("list", TEXT["messages"])
    assert messages.properties["live"] == "polite" and messages.properties["focusable"] is True
    items = messages.find("listitem")
    assert len(items) == chat.messages.count() >= 3
    assert items[0].text.startswith(TEXT["bot"].strip()) and QUESTION in items[1].text
    textbox = tree.one("textbox", TEXT["inputLabel"])
    assert textbox.properties["focused"] is True and textbox.properties["multiline"] is True
    group = messages.one("group", TEXT["quickReplies"])
    assert [button.name for button in group.find("button")] == answer_buttons
    for name in (TEXT["newConversation"], TEXT["send"]):
        tree.one("button", name)
    assert not tree.find("alert")

    # The warning-sign questionnaire's first question, answered with its button.
    count = chat.bot_count()
    chat.send(BACK_PAIN)
    chat.wait_bot_reply(after=count)
    expect(chat.quick_replies).to_have_text(FORM_BUTTONS)
    assert_no_axe_violations(page, "the form's question")
    group = ax_tree(page).one("group", TEXT["quickReplies"])
    assert [button.name for button in group.find("button")] == FORM_BUTTONS

    count = chat.bot_count()
    page.get_by_role("button", name="Oui").click()
    assert focus_in_input(chat)  # the buttons are gone: the focus goes to the input
    chat.wait_bot_reply(after=count)
    urgent = page.locator('.mc-msg-bot[data-triage="urgence_immediate"]')
    expect(urgent).to_have_count(1)
    assert_no_axe_violations(page, "urgent display")
    assert_contrast(page)

    tree = ax_tree(page)
    alert = tree.one("alert", TRIAGE["urgence_immediate"]["label"])
    assert alert.properties["live"] == "assertive" and alert.properties["atomic"] is True
    assert "15" in alert.text and "112" in alert.text
    # The alert is inside its list item, in the polite list of messages.
    assert tree.one("list", TEXT["messages"]).find("alert") == [alert]
    banner = tree.one("region", TRIAGE["urgence_immediate"]["label"])
    assert [link.name for link in banner.find("link")] == ["15 (SAMU)", "112"]
    assert "live" not in banner.properties  # the banner is not a second announcement
    assert not page.js_errors


def test_reflow_at_320px(narrow_page, page_server):
    page = narrow_page
    chat = Chat(page).open_floating(page_server.url)
    chat.wait_online()
    chat.wait_welcome()
    chat.send(NEURO_WARNING)
    expect(page.locator(".mc-msg-urgent")).to_have_count(1)
    chat.settle()
    no_horizontal_scroll(page, 320)
    inside_viewport(
        page, chat.panel, chat.urgent_banner, chat.input, chat.send_button, chat.new_button
    )
    screenshot(page, "reflow-320-floating-urgent")
    assert_no_axe_violations(page, "floating panel at 320 px, urgent")

    chat.open(page_server.url)  # the inline panel of the demo page
    chat.wait_online()
    chat.settle()
    no_horizontal_scroll(page, 320)
    inside_viewport(page, chat.panel, chat.input, chat.send_button)
    assert_no_axe_violations(page, "inline panel at 320 px")
    assert not page.js_errors


def test_200_percent_zoom(zoomed_page, page_server):
    page = zoomed_page
    chat = Chat(page).open(page_server.url)
    chat.wait_online()
    chat.wait_welcome()
    chat.send(NEURO_WARNING)
    expect(page.locator(".mc-msg-urgent")).to_have_count(1)
    chat.settle()
    no_horizontal_scroll(page, 640)
    screenshot(page, "zoom-200-inline-urgent")
    assert_no_axe_violations(page, "inline panel at 200%, urgent")
    assert_contrast(page)

    chat.open_floating(page_server.url)
    chat.settle()
    inside_viewport(page, chat.panel, chat.urgent_banner, chat.input, chat.send_button)
    # The messages keep room to be read under the fixed parts of the panel.
    assert page.locator(".mc-messages").bounding_box()["height"] >= 120
    no_horizontal_scroll(page, 640)
    screenshot(page, "zoom-200-floating-urgent")
    assert_no_axe_violations(page, "floating panel at 200%, urgent")
    assert not page.js_errors
