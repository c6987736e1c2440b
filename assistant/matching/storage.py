"""Reviewed YAML kept inside the trained model, so that a model always carries the lexicon
and patterns it was tested with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def read_source(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def store(model_storage: ModelStorage, resource: Resource, name: str, data: Any) -> None:
    with (
        model_storage.write_to(resource) as directory,
        open(directory / name, "w", encoding="utf-8") as handle,
    ):
        yaml.safe_dump(data, handle, allow_unicode=True, sort_keys=False)


def stored(model_storage: ModelStorage, resource: Resource, name: str) -> Any:
    with (
        model_storage.read_from(resource) as directory,
        open(directory / name, encoding="utf-8") as handle,
    ):
        return yaml.safe_load(handle)
