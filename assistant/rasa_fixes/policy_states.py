"""The dialogue states of a conversation replayed once per message, not once per policy call.

To predict the next action, Rasa 3.6 replays every event of the conversation to build its
states (`Domain.states_for_tracker_history`): RulePolicy twice (with the message's text, then
with its intent) and MemoizationPolicy once more, at each of the two or three predictions of a
message (9% of a Rasa server's CPU under load, docs/benchmarks.md). Inside the prediction graph
(`one_run`, entered by assistant/rasa_fixes/graph_runner.py), the replay is kept on the tracker
object for each set of arguments, so for as long as that tracker lives (one message: the
tracker store builds a new one for each). The next policy gets a copy of the same states; the
next prediction replays only the events added since. It replays from the start instead when
an event changes which earlier events count (a restart, a new session, a revert, a loop: Rasa's
`applied_events`), when an event was replaced, or when the user message of a kept turn was
edited in place (as `DefinePrevUserUtteredFeaturization` does), and for other rule-only data or
another domain. Outside the prediction graph (training, tests) Rasa builds the states itself.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Dict, Iterable, Iterator, List, Tuple

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

_rasa_states = Domain.states_for_tracker_history
# The replays kept on a tracker, for each (omit_unset_slots, ignore_rule_only_turns).
_REPLAYS = "_metastases_state_replays"
# Events after which Rasa's `applied_events` may drop or undo earlier events.
_CHANGING_EARLIER_EVENTS = (
    Restarted,
    SessionStarted,
    ActionReverted,
    UserUtteranceReverted,
    ActiveLoop,
)

# Whether the prediction graph is running.
_in_run: ContextVar[bool] = ContextVar("_in_run", default=False)


@contextmanager
def one_run() -> Iterator[None]:
    """States kept with the tracker for the policies of a run of the prediction graph."""
    token = _in_run.set(True)
    try:
        yield
    finally:
        _in_run.reset(token)


class _Replay:
    """Rasa's `states_for_tracker_history` as a replay that can take more events: the same
    steps, the states of the turns before each action kept, the current turn's computed at
    each call."""

    def __init__(
        self,
        domain: Domain,
        tracker: DialogueStateTracker,
        omit_unset_slots: bool,
        ignore_rule_only_turns: bool,
        rule_only_data: Dict[str, Any] | None,
    ) -> None:
        self.domain = domain
        self.omit_unset_slots = omit_unset_slots
        self.ignore_rule_only_turns = ignore_rule_only_turns
        self.rule_only_data = copy.deepcopy(rule_only_data)
        self.events: List[Event] = list(tracker.events)
        self.loop_names = {e.name for e in self.events if isinstance(e, ActiveLoop) and e.name}
        self.replayed = tracker.init_copy()
        self.states: List[State] = []
        self.last_ml_action_sub_state: SubState | None = None
        self.turn_was_hidden = False
        # The latest user message's sub-state when a kept turn holds it, else None.
        self.user_sub_state: SubState | None = None
        self._replay(tracker.applied_events())

    def goes_on(
        self,
        domain: Domain,
        tracker: DialogueStateTracker,
        rule_only_data: Dict[str, Any] | None,
    ) -> bool:
        """Whether the tracker holds the replayed events (the very same objects) followed by
        events that only add to them; if so, they are replayed."""
        if (
            domain is not self.domain
            or (self.ignore_rule_only_turns and rule_only_data != self.rule_only_data)
            or len(tracker.events) < len(self.events)
            or any(
                kept is not event for kept, event in zip(self.events, tracker.events, strict=False)
            )
            # the user message of a kept turn edited in place since
            or (
                self.user_sub_state is not None
                and self.domain._get_user_sub_state(self.replayed) != self.user_sub_state
            )
        ):
            return False
        added = list(tracker.events)[len(self.events) :]
        if not all(self._only_adds(event) for event in added):
            return False
        self._replay(added)
        self.events.extend(added)
        return True

    def current(self) -> List[State]:
        """The states up to now, as a copy the caller may edit."""
        last, _, _ = self._turn(False, self.last_ml_action_sub_state, self.turn_was_hidden)
        return _copy(self.states if last is None else self.states + [last])

    def _only_adds(self, event: Event) -> bool:
        """Whether Rasa's `applied_events` takes the event as it is, leaving the earlier ones."""
        return not isinstance(event, _CHANGING_EARLIER_EVENTS) and not (
            isinstance(event, ActionExecuted) and event.action_name in self.loop_names
        )

    def _replay(self, events: Iterable[Event]) -> None:
        acted_since_user = self.user_sub_state is not None
        for event in events:
            if isinstance(event, UserUttered):
                acted_since_user = False
            elif isinstance(event, ActionExecuted):
                acted_since_user = True
                # the turn before the action (Rasa's `generate_all_prior_trackers`)
                state, self.last_ml_action_sub_state, self.turn_was_hidden = self._turn(
                    event.hide_rule_turn, self.last_ml_action_sub_state, self.turn_was_hidden
                )
                if state is not None:
                    self.states.append(state)
            self.replayed.update(event)
        self.user_sub_state = (
            self.domain._get_user_sub_state(self.replayed) if acted_since_user else None
        )

    def _turn(
        self, hide_rule_turn: bool, last_ml_action: SubState | None, turn_was_hidden: bool
    ) -> Tuple[State | None, SubState | None, bool]:
        """One pass of the loop of Rasa's `states_for_tracker_history` on the replayed tracker:
        the turn's state (None for a hidden turn), then the loop's two variables after it."""
        domain, replayed = self.domain, self.replayed
        if self.ignore_rule_only_turns:
            if not turn_was_hidden:
                last_ml_action = domain._get_prev_action_sub_state(replayed)
            if (
                not replayed.followup_action
                and replayed.latest_action_name != replayed.active_loop_name
            ):
                turn_was_hidden = hide_rule_turn
            if turn_was_hidden:
                return None, last_ml_action, turn_was_hidden
        state = domain.get_active_state(replayed, omit_unset_slots=self.omit_unset_slots)
        if self.ignore_rule_only_turns:
            domain._remove_rule_only_features(state, self.rule_only_data)
            if self.states:
                domain._substitute_rule_only_user_input(state, self.states[-1])
            if last_ml_action:
                state[PREVIOUS_ACTION] = last_ml_action
        return domain._clean_state(state), last_ml_action, turn_was_hidden


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
    if not _in_run.get():
        return _rasa_states(
            self,
            tracker,
            omit_unset_slots=omit_unset_slots,
            ignore_rule_only_turns=ignore_rule_only_turns,
            rule_only_data=rule_only_data,
        )
    replays: Dict[Tuple[bool, bool], _Replay] = tracker.__dict__.setdefault(_REPLAYS, {})
    arguments = (omit_unset_slots, ignore_rule_only_turns)
    replay = replays.get(arguments)
    try:
        if replay is None or not replay.goes_on(self, tracker, rule_only_data):
            replay = replays[arguments] = _Replay(
                self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data
            )
        return replay.current()
    except BaseException:
        replays.pop(arguments, None)  # a replay stopped half-way is not kept
        raise


def apply() -> None:
    Domain.states_for_tracker_history = _states_for_tracker_history
