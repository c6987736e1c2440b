"""The screenshots the tests write into docs/images/ (committed, so that the docs show them):
each with the page of the docs that shows it. A unit test checks that the docs name them."""

from deploy.settings import PROJECT

DOC_IMAGES = PROJECT / "docs" / "images"
# The demo page with the embed snippet's inline panel (tests/browser/test_accessibility.py).
WIDGET_EMBED = "widget-embed.png"
# The staff dashboard built from scripted conversations (tests/browser/test_dashboard_page.py).
DASHBOARD = "dashboard.png"
SHOWN_IN = {WIDGET_EMBED: "docs/widget.md", DASHBOARD: "docs/staff.md"}
