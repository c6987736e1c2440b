"""The red-flag detector's work grows linearly with the length of a message, and a warning sign
is found wherever it sits in a long one. Work is counted, not timed: the lines of the project's
code that run while a message is analysed (spaCy's own C code is not counted)."""

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.safety.detector import CURRENT, RedFlagDetector
from assistant.safety.levels import URGENCE_IMMEDIATE
from assistant.safety.lexicon import load_lexicon

# The detector and its helpers; not the token annotation, whose cache would count.
DETECTOR_CODE = (str(Path(__file__).resolve().parents[2] / "assistant" / "safety"),)

# Words of warning signs and of the cues that qualify them, so that random texts hold many
# mentions and cues: the case where a quadratic detector is slowest.
SIGN_WORDS = [
    "mes",
    "jambes",
    "lâchent",
    "je",
    "ne",
    "peux",
    "plus",
    "marcher",
    "depuis",
    "hier",
    "ce",
    "matin",
    "pas",
    "de",
    "fourmis",
    "dans",
    "les",
    "pieds",
    "mon",
    "père",
    "avait",
    "mal",
    "au",
    "dos",
    "il",
    "est",
    "tombé",
    "si",
    "je",
    "tombe",
    "la",
    "douleur",
    "est",
    "partie",
    "est-ce",
    "que",
    "c'est",
    "grave",
    "ma",
    "chienne",
    "est",
    "paralysée",
    "j'ai",
    "des",
    "décharges",
    "je",
    "ne",
    "sens",
    "plus",
    "rien",
    "vous",
    "pensez",
    "que",
    "mais",
    "car",
    "et",
    "alors",
    ",",
    ".",
    "?",
    "fiction",
    "roman",
    "une",
    "chute",
    "sur",
    "le",
    "dos",
]
NEUTRAL_WORDS = [
    "maison",
    "jardin",
    "voiture",
    "soleil",
    "table",
    "livre",
    "fenêtre",
    "route",
    "musique",
    "ville",
]
SIGN = "depuis ce matin mes jambes lâchent et je ne peux plus marcher"

SETTINGS = settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def detector():
    return RedFlagDetector(load_lexicon())


def lines_run(detector, nlp, text):
    """How many lines of the project's code run while the detector analyses `text`."""
    count = 0

    def tracer(frame, event, arg):
        if not frame.f_code.co_filename.startswith(DETECTOR_CODE):
            return None

        def line(frame, event, arg):
            nonlocal count
            if event == "line":
                count += 1
            return line

        return line

    doc = nlp(text)
    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        detector.analyse(doc)
    finally:
        sys.settrace(previous)
    return count, len(doc)


@SETTINGS
@given(st.lists(st.sampled_from(SIGN_WORDS), min_size=10, max_size=30))
def test_work_per_token_does_not_grow_with_length(detector, nlp, words):
    # The same words many times, without punctuation: one long clause, many mentions and cues.
    base = " ".join(word for word in words if word not in {",", ".", "?"})
    four, four_tokens = lines_run(detector, nlp, " ".join([base] * 4))
    many, many_tokens = lines_run(detector, nlp, " ".join([base] * 32))
    assert many / many_tokens <= 1.5 * four / four_tokens, (four, many)


@SETTINGS
@given(st.text(max_size=400))
def test_any_unicode_text_is_analysed(detector, nlp, text):
    detector.analyse(nlp(text))


@SETTINGS
@given(
    st.lists(st.sampled_from(NEUTRAL_WORDS), max_size=150),
    st.lists(st.sampled_from(NEUTRAL_WORDS), max_size=150),
)
def test_a_sign_inside_long_text_is_found(detector, nlp, before, after):
    text = f"{' '.join(before)}. {SIGN}. {' '.join(after)}"
    findings = detector.analyse(nlp(text)).findings
    assert any(
        f.category == "deficit_moteur" and f.status == CURRENT and f.level == URGENCE_IMMEDIATE
        for f in findings
    ), findings
