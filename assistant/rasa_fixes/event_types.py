"""Finds an event's class by its type name through a table built once.

Rasa 3.6 walks every subclass of Event for each event it reads back from the tracker store:
9% of a Rasa server's CPU under load (py-spy, docs/benchmarks.md). The table is rebuilt only
when a type name is not in it (an Event subclass defined later).
"""

from __future__ import annotations

from typing import Dict, Type

import rasa.shared.utils.common
from rasa.shared.core.events import Event

_original = Event.resolve_by_type
_classes: Dict[str, Type[Event]] = {}


def _resolve_by_type(type_name: str, default: Type[Event] | None = None) -> Type[Event] | None:
    if type_name not in _classes:
        # First match wins, as in Rasa's own loop over the subclasses.
        for cls in reversed(list(rasa.shared.utils.common.all_subclasses(Event))):
            _classes[cls.type_name] = cls
    found = _classes.get(type_name)
    return found if found is not None else _original(type_name, default)


def apply() -> None:
    Event.resolve_by_type = staticmethod(_resolve_by_type)
