"""Copies a slot the way `copy.copy` does, without its generic protocol.

Each new tracker copies every slot of the domain (`DialogueStateTracker.__init__`), and Rasa 3.6
makes a new tracker for each replay of a conversation: several per message, 26 slots each here.
`copy.copy` goes through `__reduce_ex__` and `copyreg` for each slot; the same copy made
directly takes 0.19 ms less per message (1.3%, docs/benchmarks.md). A slot class with copying
or pickling of its own goes through `copy.copy`'s generic path, as before (checked once per
class: a class given a reducer after its first copy is not seen).
"""

from __future__ import annotations

import copy
import copyreg
from functools import cache
from typing import Any

from rasa.shared.core.slots import Slot


@cache
def _copied_by_its_attributes(cls: Any) -> bool:
    """Whether `copy.copy` makes a new object of the class with the same `__dict__`: no reducer,
    state or constructor arguments, or slots of its own."""
    return (
        cls not in copyreg.dispatch_table
        and cls.__reduce_ex__ is object.__reduce_ex__
        and cls.__reduce__ is object.__reduce__
        and not any(
            hasattr(cls, name)
            for name in ("__getstate__", "__setstate__", "__getnewargs__", "__getnewargs_ex__")
        )
        and not copyreg._slotnames(cls)  # type: ignore[attr-defined]
    )


def _copy(self: Slot) -> Slot:
    cls: Any = type(self)
    if not _copied_by_its_attributes(cls):
        reductor = copyreg.dispatch_table.get(cls)
        reduced = reductor(self) if reductor else self.__reduce_ex__(4)
        if isinstance(reduced, str):
            return self  # a global, as `copy.copy` returns it
        return copy._reconstruct(self, None, *reduced)  # type: ignore[attr-defined]
    new = cls.__new__(cls)
    new.__dict__.update(self.__dict__)
    return new


def apply() -> None:
    Slot.__copy__ = _copy
