"""The pattern matcher finds exactly what spaCy's Matcher finds with the lexicon's "~" gaps as
spaCy compiles them ({0,N}), alignments included, on any text: it only gets there without the
paths of N optional elements multiplying, and without trying every pattern at every token."""

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from assistant.matching.matcher import PatternMatcher, alternatives
from assistant.matching.patterns import word_choices, word_regex
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


VIGNETTES = Path(__file__).resolve().parents[1] / "vignettes"


def spacy_matches(nlp, patterns, doc):
    """What spaCy's own Matcher finds with the same patterns, gaps as {0,N}."""
    matcher = Matcher(nlp.vocab)
    for label, pattern in patterns.items():
        matcher.add(label, [pattern])
    return {
        (nlp.vocab.strings[key], start, end, tuple(aligned))
        for key, start, end, aligned in matcher(doc, with_alignments=True)
    }


def test_the_same_matches_as_spacy_on_every_vignette(matchers, nlp):
    spacy_matcher, matcher, annotator = matchers
    texts = [
        item["text"]
        for part in ("dev", "blind")
        for item in yaml.safe_load((VIGNETTES / part / "messages.yml").read_text())["messages"]
    ]
    assert len(texts) > 500
    for doc in nlp.pipe(texts):
        annotator.annotate(doc)
        expected = {
            (nlp.vocab.strings[key], start, end, tuple(aligned))
            for key, start, end, aligned in spacy_matcher(doc, with_alignments=True)
        }
        found = {(label, start, end, tuple(al)) for label, start, end, al in matcher(doc, True)}
        assert found == expected, doc.text


def test_a_word_regex_reads_back_into_its_choices():
    choices = [("jambe", False), ("c++", False), ("pied", True), ("", True), ("a.b", False)]
    assert word_choices(word_regex(choices)) == choices
    assert word_choices("^[^.!?]+$") is None


def test_forms_prefixes_regexes_and_whitespace_as_spacy_reads_them(nlp):
    """The index of forms answers as the regexes would, on the edge cases of a NORM string."""
    patterns = {
        "word": [{"NORM": {"REGEX": word_regex([("mal", False), ("c++", False)])}}],
        "prefix": [{"NORM": {"REGEX": word_regex([("jamb", True)])}}],
        "any": [{"NORM": {"REGEX": word_regex([("", True)])}}],
        "regex": [{"LOWER": {"REGEX": "^[0-9]+h$"}}],
        "pair": [
            {"NORM": {"REGEX": word_regex([("mal", False)])}},
            {"TEXT": {"REGEX": "^[^.!?…\\n]+$"}, "OP": "{0,2}"},
            {"NORM": {"REGEX": word_regex([("dos", False)])}},
        ],
    }
    norms = [" mal ", "c++", " jambes\tx ", "jambe\n", "", " ", "10H", "au", "dos", " mal dos "]
    doc = nlp.make_doc(" ".join(f"w{n}" for n in range(len(norms))))
    for token, norm in zip(doc, norms, strict=True):
        token.norm_ = norm
    found = {(label, s, e, tuple(al)) for label, s, e, al in PatternMatcher(patterns)(doc, True)}
    assert found == spacy_matches(nlp, patterns, doc)
