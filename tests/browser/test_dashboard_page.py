"""The staff dashboard in Chromium, built from the scripted conversations of
tests/dashboard_conversations.py: it opens from the disk with its charts, passes axe's WCAG
2.1 A and AA rules, its links lead to the transcripts; and its screenshot for docs/staff.md."""

from __future__ import annotations

from datetime import datetime

from playwright.sync_api import expect

from assistant.stores.retention import engine_for
from tests.browser.accessibility import assert_no_axe_violations
from tests.browser.support import doc_screenshot
from tests.dashboard_conversations import KEY, endpoints_file, name, sqlite_store
from tests.doc_images import DASHBOARD
from tools.dashboard import write_dashboard
from tools.staff.dashboard_data import read_sessions
from tools.staff.transcripts import LOW_CONFIDENCE


def test_the_dashboard_page(page, tmp_path):
    engine = engine_for(endpoints_file(tmp_path, sqlite_store(tmp_path)))
    sessions = list(read_sessions(engine, KEY))
    out = tmp_path / "dashboard"
    # A fixed export time: the screenshot in the docs changes only when the page does.
    write_dashboard(out, sessions, None, None, LOW_CONFIDENCE, [], datetime(2026, 3, 21, 8, 0))
    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto((out / "index.html").as_uri())

    images = page.locator("img")
    expect(images).to_have_count(6)
    for image in images.all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), image
    expect(page.locator("h2")).to_have_text(
        [
            "Activité",
            "Ce que demandent les patients",
            "Orientations urgentes",
            "Questions sans bonne réponse",
            "Questionnaire des signes d'alerte",
            "Canaux",
        ]
    )
    assert_no_axe_violations(page, "staff dashboard")
    doc_screenshot(page, DASHBOARD, full_page=True)

    page.get_by_role("link", name=name("bob")).click()
    expect(page.locator("h1")).to_have_text(f"Conversation {name('bob')}")
    assert_no_axe_violations(page, "a transcript linked from the dashboard")
    page.get_by_role("link", name="← Tableau de bord").click()
    expect(page.locator("h1")).to_have_text("Tableau de bord des conversations")
