"""How the writer reacts to a pending alert (content/safety/conversation_cues.yml), read by the
detector on sentences written for these tests."""

import pytest

from assistant.safety.detector import RedFlagDetector
from assistant.safety.lexicon import load_lexicon


@pytest.fixture(scope="module")
def detector():
    return RedFlagDetector(load_lexicon())


@pytest.mark.parametrize(
    "text, reaction",
    [
        # a delay is a pushback, even with "j'appelle"
        ("je préfère attendre lundi", "pushback"),
        ("et si j'appelle après-demain ?", "pushback"),
        ("j'appellerai la semaine prochaine", "pushback"),
        ("je vais juste me reposer un peu, ça ira", "pushback"),
        ("personne ne va me recevoir à cette heure-là", "pushback"),
        ("it's probably just a strained muscle", "pushback"),
        ("bon, j'appelle le 15", "acted"),
    ],
)
def test_a_reaction_to_an_alert_is_read(detector, nlp, text, reaction):
    assert detector.analyse(nlp(text)).conversation.reaction == reaction
