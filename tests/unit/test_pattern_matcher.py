"""The pattern matcher finds exactly what spaCy's Matcher finds with the lexicon's "~" gaps as
spaCy compiles them ({0,N}), alignments included, on any text: it only gets there without the
paths of N optional elements multiplying."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from assistant.matching.matcher import PatternMatcher, alternatives
from assistant.matching.token_forms import TokenFormsAnnotator
from assistant.safety.lexicon import load_lexicon

LINES = (
    "mes jambes lâchent je ne peux plus marcher depuis hier pas de fourmis dans les pieds",
    "mon père avait mal au dos il est tombé si je tombe la douleur est partie",
    "est-ce que c'est grave vous pensez que mais car et alors , . ? chute sur le",
    "j'ai glissé dans l'escalier et depuis une douleur terrible au milieu du dos",
)
WORDS = " ".join(LINES).split()


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def matchers(lexicon, nlp):
    spacy_matcher = Matcher(nlp.vocab)
    for label, pattern in lexicon.patterns.items():
        spacy_matcher.add(label, [pattern])
    annotator = TokenFormsAnnotator(lexicon.vocabulary, lexicon.sms)
    return spacy_matcher, PatternMatcher(lexicon.patterns), annotator


def test_a_gap_becomes_each_of_its_lengths():
    word = {"NORM": {"REGEX": "a"}}
    gap = {"TEXT": {"REGEX": "x"}, "OP": "{0,2}"}
    found = alternatives([word, gap, word])
    assert [aligned for _, aligned in found] == [[0, 2], [0, 1, 2], [0, 1, 1, 2]]
    assert all("OP" not in element for elements, _ in found for element in elements)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_the_same_matches_and_alignments_as_spacy(matchers, nlp, words):
    spacy_matcher, matcher, annotator = matchers
    doc = nlp(" ".join(words))
    annotator.annotate(doc)
    expected = {
        (nlp.vocab.strings[key], start, end, tuple(aligned))
        for key, start, end, aligned in spacy_matcher(doc, with_alignments=True)
    }
    found = {
        (label, start, end, tuple(aligned)) for label, start, end, aligned in matcher(doc, True)
    }
    assert found == expected
