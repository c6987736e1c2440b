"""The reviewed source documents (the article and the clinical reference), for the tests that
compare content with them. They sit beside the project on the team's machines and in CI
(`../shared`, or wherever REVIEWED_SOURCES_DIR says), not in a hospital's clone: there those
tests are skipped, with this reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deploy.settings import PROJECT

SOURCES_DIR = Path(os.environ.get("REVIEWED_SOURCES_DIR") or PROJECT.parent / "shared")
DOCUMENTS = {
    "article": "source/article_metastases_vertebrales.txt",
    "red_flags": "clinical/red_flags.md",
}


def source_text(document: str) -> str:
    """The text of a reviewed document; skips the calling test when it is not on this machine."""
    path = SOURCES_DIR / DOCUMENTS[document]
    if not path.is_file():
        pytest.skip(
            f"reviewed source documents not found ({path}); set REVIEWED_SOURCES_DIR to the folder "
            "holding source/ and clinical/ to compare the content with them"
        )
    return path.read_text(encoding="utf-8")
