"""Calls the traced prediction graph of Rasa's TensorFlow models (DIET) directly.

Rasa 3.6 traces `predict_step` once as a `tf.function` with a fixed input signature, then calls
that `tf.function` for every message. Each call matches the arguments against the signature
again, through TensorFlow's generic argument handling: more CPU than running the graph itself
(py-spy on a server under load, docs/benchmarks.md). The signature never changes, so the
traced graph is taken once and called with the message's arrays converted to its input types.
A batch the signature does not fit goes through Rasa's own call, which raises as Rasa does.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Sequence

import numpy as np
import tensorflow as tf
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.utils.tensorflow import models
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)

_rasa_predict = RasaModel._rasa_predict
_TRACED = "_traced_predict_step"


def _predict(self: RasaModel, batch_in: Sequence[np.ndarray]) -> Dict[str, Any]:
    traced = getattr(self, _TRACED, None)
    eager = self._run_eagerly or tf.config.functions_run_eagerly()
    if not traced or eager or not traced.fits(batch_in):
        outputs = _rasa_predict(self, batch_in)
        if traced is None and self._tf_predict_step is not None and not eager:
            _keep_traced(self)
        return outputs
    self._training = False
    outputs = models.tf_utils.sync_to_numpy_or_python_type(traced(batch_in))
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


def _keep_traced(model: RasaModel) -> None:
    """The traced graph kept for the next calls; without it (False), Rasa's call goes on
    serving, and the prediction already made stands."""
    try:
        setattr(model, _TRACED, _Traced(model._tf_predict_step.get_concrete_function()))
    except Exception:
        setattr(model, _TRACED, False)
        logger.exception("The traced prediction graph could not be kept: Rasa's call is used.")


class _Traced:
    """The concrete function of a `tf.function` with one input signature (a list of tensors)."""

    def __init__(self, function: Any) -> None:
        self._function = function
        (specs,), _ = function.structured_input_signature
        self._inputs = [(spec.shape.as_list(), spec.dtype.as_numpy_dtype) for spec in specs]

    def fits(self, batch_in: Sequence[np.ndarray]) -> bool:
        """Whether each array has the type and rank of its input, and the fixed dimensions."""
        return len(batch_in) == len(self._inputs) and all(
            isinstance(array, np.ndarray)
            and array.dtype == dtype
            and array.ndim == len(shape)
            and all(
                size is None or size == real for size, real in zip(shape, array.shape, strict=True)
            )
            for array, (shape, dtype) in zip(batch_in, self._inputs, strict=True)
        )

    def __call__(self, batch_in: Sequence[np.ndarray]) -> Any:
        tensors = [
            tf.constant(array, dtype)
            for array, (_, dtype) in zip(batch_in, self._inputs, strict=True)
        ]
        return self._function._call_flat(tensors, self._function.captured_inputs)


def apply() -> None:
    RasaModel._rasa_predict = _predict
