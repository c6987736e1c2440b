"""A slot copied by the shortcut is what `copy.copy` makes of it without the shortcut: the same
class and attributes, a separate object; slot classes with copying of their own keep it."""

import copy

import pytest
from rasa.shared.core import slots
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.rasa_fixes import slot_copies
from content import DOMAIN_DIR

DOMAIN = Domain.load(str(DOMAIN_DIR))


@pytest.fixture
def without_shortcut(monkeypatch):
    monkeypatch.delattr(slots.Slot, "__copy__", raising=False)


@pytest.fixture
def with_shortcut(monkeypatch):
    monkeypatch.setattr(slots.Slot, "__copy__", slot_copies._copy, raising=False)


def _rasas_copies(all_slots):
    saved = slots.Slot.__dict__.get("__copy__")
    if saved:
        del slots.Slot.__copy__
    try:
        return [copy.copy(slot) for slot in all_slots]
    finally:
        if saved:
            slots.Slot.__copy__ = saved


def _filled_slots():
    filled = [copy.deepcopy(slot) for slot in DOMAIN.slots]
    for slot in filled:
        slot.value = ["une", "liste"] if isinstance(slot, slots.ListSlot) else slot.initial_value
    return filled + [
        slots.AnySlot("any", mappings=[{}], initial_value={"a": 1}),
        slots.FloatSlot("float", mappings=[{}], max_value=3.0),
        slots.CategoricalSlot("categorical", mappings=[{}], values=["a", "b"]),
    ]


@pytest.mark.usefixtures("with_shortcut")
def test_a_copy_has_the_class_and_attributes_copy_gives():
    originals = _filled_slots()
    expected = _rasas_copies(originals)
    ours = [copy.copy(slot) for slot in originals]
    for original, rasas, copied in zip(originals, expected, ours, strict=True):
        assert type(copied) is type(rasas)
        assert vars(copied) == vars(rasas)
        assert copied is not original
        copied.value = "changé"
        assert original.value != "changé"  # a separate object


class _SlotWithState(slots.TextSlot):
    def __getstate__(self):
        return {**self.__dict__, "_value": "from getstate"}


class _SlotWithSlots(slots.TextSlot):
    __slots__ = ("extra",)


@pytest.mark.usefixtures("with_shortcut")
def test_slot_classes_with_copying_of_their_own_are_copied_generically():
    with_state = _SlotWithState("s", mappings=[{}])
    assert copy.copy(with_state).value == "from getstate"
    with_slots = _SlotWithSlots("t", mappings=[{}])
    with_slots.extra = 3
    assert copy.copy(with_slots).extra == 3


def test_trackers_replay_to_the_same_slots(with_shortcut):
    tracker = DialogueStateTracker("patient", DOMAIN.slots)
    copied = tracker.init_copy()
    assert {n: vars(s) for n, s in copied.slots.items()} == {
        n: vars(s) for n, s in tracker.slots.items()
    }
    assert all(copied.slots[n] is not s for n, s in tracker.slots.items())


def test_applied(without_shortcut):
    slot_copies.apply()
    try:
        assert slots.Slot.__copy__ is slot_copies._copy
    finally:
        del slots.Slot.__copy__
