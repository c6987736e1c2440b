"""The dialogue states of a conversation built once per prediction, not once per policy.

To predict the next action, Rasa 3.6's RulePolicy builds the states of the whole conversation
twice (with the message's text, then with its intent) and MemoizationPolicy once more, each time
by replaying every event of the conversation (`Domain.states_for_tracker_history`, 6.7% of a
message under load, docs/benchmarks.md). The states depend only on the domain, the events and the
arguments, so the last result for each set of arguments is kept and handed out as a copy (the
policies edit the last state in place). A tracker that gained, lost or replaced an event since
is built again.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, List, NamedTuple, Tuple

from rasa.shared.core.domain import Domain, State
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


# The last states built for each (omit_unset_slots, ignore_rule_only_turns). The strong
# references keep the events alive, so an identity seen here cannot be another event's.
_last: Dict[Tuple[bool, bool], _Built] = {}


def _copy(states: List[State]) -> List[State]:
    """A copy the caller may edit: states hold dictionaries of immutable values (names, tuples)."""
    return [{name: dict(sub_state) for name, sub_state in state.items()} for state in states]


def _states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Dict[str, Any] | None = None,
) -> List[State]:
    arguments = (omit_unset_slots, ignore_rule_only_turns)
    built = _last.get(arguments)
    if built is None or not built.holds(self, tracker, rule_only_data):
        states = _rasa_states(
            self,
            tracker,
            omit_unset_slots=omit_unset_slots,
            ignore_rule_only_turns=ignore_rule_only_turns,
            rule_only_data=rule_only_data,
        )
        built = _Built(
            self, tracker, tuple(tracker.events), copy.deepcopy(rule_only_data), _copy(states)
        )
        _last[arguments] = built
        return states
    return _copy(built.states)


def clear() -> None:
    """Forgets the kept states (for tests, and a model reloaded with another domain)."""
    _last.clear()


def apply() -> None:
    Domain.states_for_tracker_history = _states_for_tracker_history
