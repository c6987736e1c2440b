"""A slot copied by the shortcut is what `copy.copy` makes of it without the shortcut: the same
class and attributes, a separate object; slot classes with copying of their own keep it."""

import copy
import copyreg

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
        # a shallow copy: the very same attribute values
        assert all(vars(copied)[name] is value for name, value in vars(original).items())
        assert copied is not original
        copied.value = "changé"
        assert original.value != "changé"  # a separate object


class _SlotWithState(slots.TextSlot):
    def __getstate__(self):
        return {**self.__dict__, "_value": "from getstate"}


class _SlotWithSlots(slots.TextSlot):
    __slots__ = ("extra",)


class _SlotWithReducer(slots.TextSlot):
    def __reduce_ex__(self, protocol):
        return (_SlotWithReducer, ("reduced", [{}]))


class _SlotWithNewArguments(slots.TextSlot):
    received: list = []

    def __new__(cls, *arguments, **keywords):
        cls.received.append(arguments)
        return super().__new__(cls)

    def __getnewargs__(self):
        return ("from getnewargs",)


class _SlotInTheDispatchTable(slots.TextSlot):
    pass


def test_rasas_slot_classes_take_the_shortcut():
    classes = {type(slot) for slot in _filled_slots()}
    assert len(classes) >= 5
    assert all(slot_copies._copied_by_its_attributes(cls) for cls in classes)


@pytest.mark.usefixtures("with_shortcut")
def test_slot_classes_with_copying_of_their_own_are_copied_generically(monkeypatch):
    monkeypatch.setitem(
        copyreg.dispatch_table,
        _SlotInTheDispatchTable,
        lambda slot: (_SlotInTheDispatchTable, ("dispatched", [{}])),
    )
    with_state = _SlotWithState("s", mappings=[{}])
    assert copy.copy(with_state).value == "from getstate"
    with_slots = _SlotWithSlots("t", mappings=[{}])
    with_slots.extra = 3
    assert copy.copy(with_slots).extra == 3
    assert copy.copy(_SlotWithReducer("r", mappings=[{}])).name == "reduced"
    with_new = _SlotWithNewArguments("n", mappings=[{}])
    assert vars(copy.copy(with_new)) == vars(with_new)
    assert _SlotWithNewArguments.received[-1] == ("from getnewargs",)
    assert copy.copy(_SlotInTheDispatchTable("d", mappings=[{}])).name == "dispatched"
    for cls in (_SlotWithState, _SlotWithSlots, _SlotWithReducer, _SlotWithNewArguments):
        assert not slot_copies._copied_by_its_attributes(cls)


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
