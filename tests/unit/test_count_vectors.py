"""The count-vector features built in one step are Rasa's own (scikit-learn's `transform`,
sorted, as COO): same values, indices, types and shapes, for the configurations of config.yml
and others, on training messages and on words the vocabulary has never seen."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.exceptions import NotFittedError

from assistant.rasa_fixes import count_vectors

RASAS_OWN = CountVectorsFeaturizer._create_features

TRAINING = [
    "c'est quoi une métastase vertébrale ?",
    "à quoi sert l'IRM de la colonne ?",
    "combien de séances de radiothérapie",
    "la cimentoplastie fait-elle mal ?",
    "j'ai mal au dos la nuit depuis une semaine",
    "faut-il demander un deuxième avis ?",
    "quel spécialiste consulter pour une vertèbre tassée",
    "merci beaucoup",
    "bonjour",
    "le scanner et la scintigraphie osseuse",
    "métastases métastases vertèbre vertèbre dos dos",
]
UNSEEN = [
    "c koi 1 metastase vertebral",
    "Une IRM, UNE irm, une Irm ?!",
    "opération opération opération",
    "zzz qqq xyz",
    "🙂",
    "é",
    "la la la la la la la la la la la la la la",
    "ça fait mal la cimentoplastie et la radiothérapie stéréotaxique ?",
]

CONFIGS = [
    {"use_lemma": True, "max_ngram": 2},  # config.yml's first
    {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 4, "min_df": 2},  # and second
    {"analyzer": "char", "min_ngram": 1, "max_ngram": 3},
    {"analyzer": "word", "strip_accents": "unicode", "lowercase": False},
]


def _tokenized(texts):
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = [Message(data={"text": text, "intent": "question"}) for text in texts]
    tokenizer.process_training_data(TrainingData(messages))
    return messages


@pytest.fixture(params=CONFIGS, ids=lambda config: str(config))
def featurizer(request, tmp_path):
    config = {**CountVectorsFeaturizer.get_default_config(), **request.param}
    featurizer = CountVectorsFeaturizer.create(
        config,
        LocalModelStorage(tmp_path),
        Resource("count_vectors"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    featurizer.train(TrainingData(_tokenized(TRAINING)))
    return featurizer


def _token_lists(featurizer, texts):
    messages = _tokenized(texts)
    return [featurizer._get_processed_message_tokens_by_attribute(m, "text") for m in messages]


def _same(ours, rasas) -> None:
    assert len(ours) == len(rasas)
    for mine, theirs in zip(ours, rasas, strict=True):
        if theirs is None:
            assert mine is None
            continue
        assert type(mine) is type(theirs)
        assert mine.shape == theirs.shape
        assert mine.dtype == theirs.dtype
        for part in ("row", "col", "data"):
            assert getattr(mine, part).dtype == getattr(theirs, part).dtype, part
            assert np.array_equal(getattr(mine, part), getattr(theirs, part)), part
        assert np.array_equal(mine.toarray(), theirs.toarray())


@pytest.mark.parametrize("texts", [TRAINING, UNSEEN, TRAINING + UNSEEN])
def test_same_features_as_rasa(featurizer, texts):
    tokens = _token_lists(featurizer, texts)
    assert any(tokens)
    ours = count_vectors._create_features(featurizer, "text", tokens)
    rasas = RASAS_OWN(featurizer, "text", tokens)
    for mine, theirs in zip(ours, rasas, strict=True):
        _same(mine, theirs)


def test_binary_counts_as_rasa(featurizer):
    featurizer.vectorizers["text"].binary = True
    tokens = _token_lists(featurizer, TRAINING + UNSEEN)
    _same(
        count_vectors._create_features(featurizer, "text", tokens)[0],
        RASAS_OWN(featurizer, "text", tokens)[0],
    )


def test_empty_and_unfitted_as_rasa(featurizer):
    tokens = [[], ["métastase"], []]
    for mine, theirs in zip(
        count_vectors._create_features(featurizer, "text", tokens),
        RASAS_OWN(featurizer, "text", tokens),
        strict=True,
    ):
        _same(mine, theirs)
    # a vectorizer never fitted (no responses in the training data): nothing for no tokens,
    # and an error as in Rasa for tokens
    assert count_vectors._create_features(featurizer, "response", [[]]) == RASAS_OWN(
        featurizer, "response", [[]]
    )
    with pytest.raises(NotFittedError):
        RASAS_OWN(featurizer, "response", [["a"]])
    with pytest.raises(NotFittedError):
        count_vectors._create_features(featurizer, "response", [["a"]])
    # and an attribute without a vectorizer gets nothing
    del featurizer.vectorizers["response"]
    assert count_vectors._create_features(featurizer, "response", [["a"]]) == RASAS_OWN(
        featurizer, "response", [["a"]]
    )


def test_attribute_not_made_dense_gets_no_sentence_features(featurizer):
    featurizer.vectorizers["action_name"] = featurizer.vectorizers["text"]
    tokens = [["métastase", "vertébrale"]]
    ours = count_vectors._create_features(featurizer, "action_name", tokens)
    rasas = RASAS_OWN(featurizer, "action_name", tokens)
    _same(ours[0], rasas[0])
    assert ours[1] == rasas[1] == [None]


def test_a_replaced_vectorizer_gets_its_own_analyzer(featurizer):
    tokens = _token_lists(featurizer, UNSEEN)
    count_vectors._create_features(featurizer, "text", tokens)
    other = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char", "max_ngram": 2},
        featurizer._model_storage,
        Resource("other"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    other.train(TrainingData(_tokenized(TRAINING)))
    featurizer.vectorizers["text"] = other.vectorizers["text"]
    _same(
        count_vectors._create_features(featurizer, "text", tokens)[0],
        RASAS_OWN(featurizer, "text", tokens)[0],
    )


def test_applied(monkeypatch):
    monkeypatch.setattr(CountVectorsFeaturizer, "_create_features", RASAS_OWN)  # restored after
    count_vectors.apply()
    assert CountVectorsFeaturizer._create_features is count_vectors._create_features
