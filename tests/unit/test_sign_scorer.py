"""The warning-sign scorer gives the probabilities of the scikit-learn pipeline it is read from,
without scikit-learn's per-call overhead."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.safety.sign_classifier import new_pipeline, read_examples
from assistant.safety.sign_scorer import SignScorer

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pipeline():
    examples = read_examples([PROJECT / "data" / "safety" / "warning_sign_reports.yml"])
    negatives = read_examples([PROJECT / "data" / "safety" / "warning_sign_negatives.yml"])
    sample = examples[::4] + negatives[::4]
    fitted = new_pipeline(5.0)
    fitted.fit([e["text"] for e in sample], [e["category"] for e in sample])
    return fitted


def test_the_pipelines_probabilities_on_every_vignette(pipeline):
    scorer = SignScorer(pipeline)
    texts = [
        item["text"]
        for part in ("dev", "blind")
        for item in yaml.safe_load(
            (PROJECT / "tests" / "vignettes" / part / "messages.yml").read_text()
        )["messages"]
    ]
    texts += ["", "   ", "?!", "é" * 2000, "DOS DOS DOS " * 100]
    for text in texts:
        expected = dict(zip(pipeline.classes_, pipeline.predict_proba([text])[0], strict=True))
        scores = scorer(text)
        assert list(scores) == [str(c) for c in pipeline.classes_]
        assert np.allclose([scores[str(c)] for c in expected], list(expected.values()), atol=1e-12)


def test_a_pipeline_it_cannot_reproduce_is_refused(pipeline):
    pipeline.named_steps["classifier"].multi_class = "ovr"
    try:
        with pytest.raises(ValueError):
            SignScorer(pipeline)
    finally:
        pipeline.named_steps["classifier"].multi_class = "auto"
