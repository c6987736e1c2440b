"""The dialogue states of a conversation built once per prediction, not once per policy.

To predict the next action, Rasa 3.6's RulePolicy builds the states of the whole conversation
twice (with the message's text, then with its intent) and MemoizationPolicy once more, each time
by replaying every event of the conversation (`Domain.states_for_tracker_history`, 6.7% of a
message under load, docs/benchmarks.md). Within one run of the prediction graph (`one_run`, from
assistant/rasa_fixes/graph_runner.py) no event is applied, so the states built for a set of
arguments are kept for the next policy and handed out as copies (the policies edit them in
place). Outside such a run, in training for instance, Rasa builds them every time.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Dict, Iterator, List, NamedTuple, Tuple

from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.trackers import DialogueStateTracker

_rasa_states = Domain.states_for_tracker_history


class _Built(NamedTuple):
    domain: Domain
    tracker: DialogueStateTracker
    events: Tuple[Any, ...]
    rule_only_data: Dict[str, Any] | None
    states: List[State]

    def holds(
        self,
        domain: Domain,
        tracker: DialogueStateTracker,
        rule_only_data: Dict[str, Any] | None,
    ) -> bool:
        """Whether these states are those of this conversation now: the same domain and tracker
        objects, the very same events (by identity), the same rule-only data."""
        return (
            self.domain is domain
            and self.tracker is tracker
            and len(self.events) == len(tracker.events)
            and all(kept is event for kept, event in zip(self.events, tracker.events, strict=True))
            and self.rule_only_data == rule_only_data
        )


# The states built in the current run, for each (omit_unset_slots, ignore_rule_only_turns);
# None outside a run of the prediction graph.
_run: ContextVar[Dict[Tuple[bool, bool], _Built] | None] = ContextVar("_run", default=None)


@contextmanager
def one_run() -> Iterator[None]:
    """States kept for the policies of one run of the prediction graph, then forgotten."""
    token = _run.set({})
    try:
        yield
    finally:
        _run.reset(token)


def _copy(states: List[State]) -> List[State]:
    """A copy the caller may edit. Sub-states hold immutable values (names, tuples); Rasa may
    put one sub-state in several states (the previous action or user input carried over), and
    the copy shares it in the same way, so an edit reaches the same states as in Rasa's."""
    copies: Dict[int, SubState] = {}

    def sub_copy(sub_state: SubState) -> SubState:
        kept = copies.get(id(sub_state))
        if kept is None:
            kept = copies[id(sub_state)] = dict(sub_state)
        return kept

    return [{name: sub_copy(sub_state) for name, sub_state in state.items()} for state in states]


def _states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Dict[str, Any] | None = None,
) -> List[State]:
    kept = _run.get()
    arguments = (omit_unset_slots, ignore_rule_only_turns)
    built = kept.get(arguments) if kept is not None else None
    if built is not None and built.holds(self, tracker, rule_only_data):
        return _copy(built.states)
    states = _rasa_states(
        self,
        tracker,
        omit_unset_slots=omit_unset_slots,
        ignore_rule_only_turns=ignore_rule_only_turns,
        rule_only_data=rule_only_data,
    )
    if kept is not None:
        kept[arguments] = _Built(
            self, tracker, tuple(tracker.events), copy.deepcopy(rule_only_data), _copy(states)
        )
    return states


def apply() -> None:
    Domain.states_for_tracker_history = _states_for_tracker_history
