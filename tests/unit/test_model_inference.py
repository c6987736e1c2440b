"""The traced prediction graph, called directly, gives what Rasa's call of its `tf.function`
gives, and a batch that does not fit the signature goes through Rasa's own call."""

import numpy as np
import pytest
import tensorflow as tf
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.utils.tensorflow.models import RasaModel

from assistant.rasa_fixes import model_inference

RASAS_OWN = model_inference._rasa_predict


class _Scorer(RasaModel):
    """A small model with DIET's kind of inputs: a ragged sequence of features and ids."""

    def __init__(self) -> None:
        super().__init__(random_seed=1)
        self.weights_ = tf.Variable(tf.random.stateless_normal((4, 3), seed=(1, 2)))

    def batch_predict(self, batch_in):
        features, ids = batch_in
        scores = tf.nn.softmax(tf.reduce_mean(tf.matmul(features, self.weights_), axis=1))
        return {
            "scores": scores,
            "ids": ids + 1,
            DIAGNOSTIC_DATA: {"attention": tf.zeros((0,))},
        }


def _batch(length: int, dtype=np.float32):
    features = np.arange(length * 4, dtype=dtype).reshape(1, length, 4) / 10
    return (features, np.array([length], dtype=np.int64))


def _rasa_outputs(batch):
    return RASAS_OWN(_Scorer(), batch)


def _equal(ours, rasas) -> bool:
    return ours.keys() == rasas.keys() and all(
        np.array_equal(ours[key], rasas[key]) if key != DIAGNOSTIC_DATA else ours[key] == rasas[key]
        for key in ours
    )


@pytest.fixture
def patched(monkeypatch):
    monkeypatch.setattr(RasaModel, "_rasa_predict", model_inference._predict)


@pytest.fixture
def rasas_calls(monkeypatch):
    """The batches that went through Rasa's own call."""
    calls = []

    def rasas(self, batch):
        calls.append(batch)
        return RASAS_OWN(self, batch)

    monkeypatch.setattr(model_inference, "_rasa_predict", rasas)
    return calls


def test_the_direct_call_gives_rasas_outputs_for_every_length(patched):
    model = _Scorer()
    for length in (3, 1, 7, 3, 12):
        ours = model._rasa_predict(_batch(length))
        assert _equal(ours, _rasa_outputs(_batch(length)))


def test_only_the_first_call_goes_through_rasas(patched, rasas_calls):
    model = _Scorer()
    for length in (3, 1, 7, 3, 12):
        model._rasa_predict(_batch(length))
    assert len(rasas_calls) == 1  # the tracing call; the others were direct


def test_eager_execution_asked_for_debugging_goes_through_rasas_call(patched, rasas_calls):
    model = _Scorer()
    model._rasa_predict(_batch(3))
    tf.config.run_functions_eagerly(True)
    try:
        ours = model._rasa_predict(_batch(4))
    finally:
        tf.config.run_functions_eagerly(False)
    assert len(rasas_calls) == 2
    assert _equal(ours, _rasa_outputs(_batch(4)))


def test_a_graph_that_cannot_be_kept_leaves_rasas_call_serving(patched, rasas_calls, monkeypatch):
    def fail(function):
        raise RuntimeError("no concrete function")

    monkeypatch.setattr(model_inference, "_Traced", fail)
    model = _Scorer()
    first = model._rasa_predict(_batch(3))
    assert _equal(first, _rasa_outputs(_batch(3)))
    model._rasa_predict(_batch(5))
    assert len(rasas_calls) == 2
    assert getattr(model, model_inference._TRACED) is False  # not tried again


def _outcome(predict, model, batch):
    try:
        return predict(model, batch)["scores"].tolist()
    except Exception as error:  # the outcome compared is the error's type
        return type(error)


def test_a_batch_the_signature_does_not_fit_goes_through_rasas_call(patched, rasas_calls):
    model = _Scorer()
    model._rasa_predict(_batch(3))
    traced = getattr(model, model_inference._TRACED)
    assert traced.fits(_batch(5))
    other_width = (np.ones((1, 5, 2), np.float32), _batch(5)[1])
    other_rank = (np.ones((5, 4), np.float32), _batch(5)[1])
    misfits = [_batch(5, np.float64), _batch(5)[:1], other_width, other_rank]
    assert not any(traced.fits(batch) for batch in misfits)

    for batch in misfits:
        reference = _Scorer()
        RASAS_OWN(reference, _batch(3))
        expected = _outcome(RASAS_OWN, reference, batch)
        assert _outcome(RasaModel._rasa_predict, model, batch) == expected
    assert len(rasas_calls) == 1 + len(misfits)  # the tracing call, then each misfit


def test_applied(monkeypatch):
    monkeypatch.setattr(RasaModel, "_rasa_predict", RASAS_OWN)  # restored after
    model_inference.apply()
    assert RasaModel._rasa_predict is model_inference._predict
