"""The shape shared by this project's NLU graph components: their trained state is reviewed
YAML (a lexicon, patterns) kept inside the model, so that a model always carries the data it
was tested with."""

from __future__ import annotations

from typing import Any, Dict, List, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.matching.storage import store, stored


class ReviewedDataComponent(GraphComponent):
    """train() stores what `data_for_model` returns under STORED_FILE; load() hands it back to
    the constructor as `stored_data` (None when the component is created for training)."""

    STORED_FILE = "reviewed_data.yml"

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        stored_data: Any | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ReviewedDataComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ReviewedDataComponent:
        return cls(
            config, model_storage, resource, stored(model_storage, resource, cls.STORED_FILE)
        )

    def train(self, training_data: TrainingData) -> Resource:
        store(
            self._model_storage,
            self._resource,
            self.STORED_FILE,
            self.data_for_model(training_data),
        )
        return self._resource

    def data_for_model(self, training_data: TrainingData) -> Any:
        """The reviewed data to keep in the model."""
        raise NotImplementedError
