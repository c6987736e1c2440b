"""The screenshots the tests produce for the docs (tests/doc_images.py): each is committed in
docs/images/, small, and named by the page of the docs that shows it; every image the docs
name exists."""

import re

import pytest

from deploy.settings import PROJECT
from tests.doc_images import DOC_IMAGES, SHOWN_IN

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("name", "page"), sorted(SHOWN_IN.items()))
def test_each_screenshot_is_committed_and_shown(name, page):
    image = DOC_IMAGES / name
    assert image.is_file(), f"{image} is missing: run the test that writes it (tests/doc_images.py)"
    data = image.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) < 400_000, (name, len(data))
    assert f"](images/{name})" in (PROJECT / page).read_text(encoding="utf-8"), page


def test_every_image_the_docs_name_exists():
    for page in (PROJECT / "docs").glob("*.md"):
        for name in re.findall(r"\]\(images/([^)]+)\)", page.read_text(encoding="utf-8")):
            assert (DOC_IMAGES / name).is_file(), (
                f"{page.name} shows images/{name}, which is missing"
            )
