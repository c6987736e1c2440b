"""The warning-sign classifier's probabilities for one message, computed from its fitted
scikit-learn pipeline without going through scikit-learn.

The pipeline's predict_proba on a single message spent most of its time in validation and
sparse-matrix building (a tenth of a server's CPU per message). The same arithmetic on the
message's few n-grams is: each vectorizer's n-grams counted, sublinear tf times idf, L2
normalised; the logistic regression's decision, then its softmax. The probabilities are those
of predict_proba to rounding (tests/unit/test_sign_scorer.py).
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Dict, List, Tuple

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline


class _Vectorizer:
    """One fitted TfidfVectorizer of the union, its columns starting at `offset`."""

    def __init__(self, vectorizer, offset: int) -> None:
        if not (vectorizer.use_idf and vectorizer.sublinear_tf and vectorizer.norm == "l2"):
            raise ValueError("Only sublinear, idf-weighted, L2-normalised tf-idf is supported")
        self._analyse: Callable[[str], List[str]] = vectorizer.build_analyzer()
        self._columns: Dict[str, int] = vectorizer.vocabulary_
        self._idf = vectorizer.idf_
        self.offset = offset

    def features(self, text: str) -> Tuple[np.ndarray, np.ndarray]:
        """The message's non-zero columns (in this vectorizer) and their values."""
        columns = self._columns
        counts = Counter(columns[gram] for gram in self._analyse(text) if gram in columns)
        if not counts:
            return np.empty(0, dtype=np.intp), np.empty(0)
        indices = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        values = 1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))
        values *= self._idf[indices]
        values /= np.sqrt(np.dot(values, values))
        return indices, values


class SignScorer:
    def __init__(self, pipeline: Pipeline) -> None:
        union: FeatureUnion = pipeline.named_steps["features"]
        classifier: LogisticRegression = pipeline.named_steps["classifier"]
        multinomial = classifier.multi_class in ("auto", "multinomial")
        if not multinomial or classifier.solver == "liblinear" or len(classifier.classes_) < 3:
            raise ValueError("Expected a multinomial logistic regression")
        if union.transformer_weights:
            raise ValueError("Expected an unweighted feature union")
        self._vectorizers: List[_Vectorizer] = []
        offset = 0
        for _, vectorizer in union.transformer_list:
            self._vectorizers.append(_Vectorizer(vectorizer, offset))
            offset += len(vectorizer.vocabulary_)
        self._weights = np.ascontiguousarray(classifier.coef_.T)  # features x classes
        self._intercept = classifier.intercept_
        self._classes = [str(c) for c in classifier.classes_]

    def __call__(self, text: str) -> Dict[str, float]:
        """Category (or "none") -> probability."""
        decision = self._intercept.copy()
        for vectorizer in self._vectorizers:
            indices, values = vectorizer.features(text)
            decision += values @ self._weights[indices + vectorizer.offset]
        exponentials = np.exp(decision - decision.max())
        probabilities = exponentials / exponentials.sum()
        return dict(zip(self._classes, probabilities.tolist(), strict=True))
