"""Builds the count-vector features of a message without scikit-learn's generic `transform`.

Rasa 3.6's CountVectorsFeaturizer calls `CountVectorizer.transform` twice per message and
featurizer (each token, then the whole text), and scikit-learn checks its parameters, builds a
CSR matrix, sorts it, and Rasa turns it into COO: 6% of a message for our two featurizers, most of
it in that generic handling, not in the counting (docs/benchmarks.md). Here the same analyzer and
vocabulary give the same COO matrices (values, indices, types) in one step.
"""

from __future__ import annotations

from collections import Counter
from typing import List, Sequence, Tuple

import numpy as np
import scipy.sparse
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    DENSE_FEATURIZABLE_ATTRIBUTES,
    CountVectorsFeaturizer,
)
from sklearn.feature_extraction.text import CountVectorizer

Matrices = List[scipy.sparse.coo_matrix | None]


def _create_features(
    self: CountVectorsFeaturizer, attribute: str, all_tokens: List[List[str]]
) -> Tuple[Matrices, Matrices]:
    vectorizer = self.vectorizers.get(attribute)
    if not vectorizer:
        return [None], [None]
    analyze = vectorizer.build_analyzer()
    sequence_features: Matrices = []
    sentence_features: Matrices = []
    for tokens in all_tokens:
        if not tokens:
            sequence_features.append(None)
            sentence_features.append(None)
            continue
        vectorizer._check_vocabulary()  # raises as `transform` does if it was never fitted
        sequence_features.append(_counts([analyze(token) for token in tokens], vectorizer))
        sentence_features.append(
            _counts([analyze(" ".join(tokens))], vectorizer)
            if attribute in DENSE_FEATURIZABLE_ATTRIBUTES
            else None
        )
    return sequence_features, sentence_features


def _counts(documents: Sequence[List[str]], vectorizer: CountVectorizer) -> scipy.sparse.coo_matrix:
    """`vectorizer.transform` of documents already analysed, as Rasa stores it: sorted, COO."""
    lookup = vectorizer.vocabulary_.get
    rows: List[int] = []
    columns: List[int] = []
    values: List[int] = []
    for row, features in enumerate(documents):
        counter = Counter(map(lookup, features))
        counter.pop(None, None)  # words the vocabulary does not hold
        indices = sorted(counter)
        rows += [row] * len(indices)
        columns += indices
        values += [1] * len(indices) if vectorizer.binary else [counter[i] for i in indices]
    return scipy.sparse.coo_matrix(
        (
            np.asarray(values, dtype=vectorizer.dtype),
            (np.asarray(rows, dtype=np.int32), np.asarray(columns, dtype=np.int32)),
        ),
        shape=(len(documents), len(vectorizer.vocabulary_)),
    )


def apply() -> None:
    CountVectorsFeaturizer._create_features = _create_features
