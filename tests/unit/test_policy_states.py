"""The policies' shortcuts give Rasa's own results. The dialogue states kept for the next policy
of a prediction: the same for every set of arguments, built again when the conversation changed,
and a copy the caller may edit. The rules found to fit a conversation: the same set."""

import json

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import SHOULD_NOT_BE_SET
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.rasa_fixes import policy_states, rule_keys
from content import DOMAIN_DIR

DOMAIN = Domain.load(str(DOMAIN_DIR))
RASAS_OWN = policy_states._rasa_states
RASAS_GET_POSSIBLE_KEYS = RulePolicy._get_possible_keys
FORM = "warning_signs_form"
QUESTION_SLOT = DOMAIN.required_slots_for_form(FORM)[0]
ARGUMENTS = [
    {},
    {
        "ignore_rule_only_turns": True,
        "rule_only_data": {"rule_only_slots": [], "rule_only_loops": []},
    },
    {
        "ignore_rule_only_turns": True,
        "rule_only_data": {"rule_only_slots": [QUESTION_SLOT], "rule_only_loops": [FORM]},
    },
    {"omit_unset_slots": True},
]


def _user(intent: str, text: str = "texte") -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.9}, [])


def _conversation():
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        _user("greet", "bonjour"),
        ActionExecuted("utter_greet", hide_rule_turn=True),
        ActionExecuted("action_listen"),
        _user("ask_disease"),
        ActionExecuted("action_answer_from_knowledge"),
        SlotSet("subject", "maladie"),
        ActionExecuted("action_listen"),
        _user("report_weakness", "mes jambes lâchent"),
        ActionExecuted(FORM),
        ActiveLoop(FORM),
        SlotSet(QUESTION_SLOT, None),
        ActionExecuted("action_listen"),
        _user("affirm", "oui"),
    ]


def _tracker(events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("patient", list(events), slots=DOMAIN.slots)


@pytest.fixture(autouse=True)
def in_a_run():
    """As in a run of the prediction graph (assistant/rasa_fixes/graph_runner.py)."""
    with policy_states.one_run():
        yield


def _ours(tracker, domain=DOMAIN, **arguments):
    return policy_states._states_for_tracker_history(domain, tracker, **arguments)


def _rasas(tracker, domain=DOMAIN, **arguments):
    return RASAS_OWN(domain, tracker, **arguments)


@pytest.mark.parametrize("arguments", ARGUMENTS, ids=str)
def test_every_turn_and_a_second_call_give_rasas_states(arguments):
    events = _conversation()
    tracker = _tracker([])
    for event in events:
        tracker.update(event)
        expected = _rasas(tracker, **arguments)
        assert _ours(tracker, **arguments) == expected
        assert _ours(tracker, **arguments) == expected  # kept


def _eventful_conversation():
    """Every kind of event that changes the states or which earlier events count."""
    return _conversation() + [
        ActionExecuted(FORM),  # the loop again: Rasa may undo its earlier execution
        SlotSet(QUESTION_SLOT, True),
        LoopInterrupted(True),
        ActionExecuted("action_listen"),
        _user("deny", "non"),
        DefinePrevUserUtteredFeaturization(True),
        ActionExecutionRejected(FORM),
        ActionExecuted("utter_greet", hide_rule_turn=True),
        FollowupAction("action_answer_from_knowledge"),
        ActionExecuted("action_answer_from_knowledge"),
        BotUttered("réponse"),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
        _user("affirm", "oui"),
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        _user("greet", "re"),
        ActionExecuted("utter_greet"),
        ActionReverted(),
        AllSlotsReset(),
        ActionExecuted("action_listen"),
        _user("ask_disease"),
        ActionExecuted("action_answer_from_knowledge"),
        Restarted(),
        ActionExecuted("action_listen"),
        _user("greet", "bonjour"),
        ActionExecuted("utter_greet", hide_rule_turn=True),
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        _user("ask_disease"),
        ActionExecuted("action_answer_from_knowledge", hide_rule_turn=True),
        SlotSet("subject", "maladie"),
    ]


@pytest.mark.parametrize("arguments", ARGUMENTS, ids=str)
def test_the_replay_goes_on_and_starts_again_as_rasas_states(arguments):
    tracker = _tracker([])
    replays = []
    for event in _eventful_conversation():
        tracker.update(event)
        assert _ours(tracker, **arguments) == _rasas(tracker, **arguments), event
        replays.append(tracker.__dict__[policy_states._REPLAYS][_key(arguments)])
    # most events were replayed on the replay already there, the others replayed again
    assert 5 < len(set(map(id, replays))) < len(replays) / 3


def _key(arguments):
    return (
        arguments.get("omit_unset_slots", False),
        arguments.get("ignore_rule_only_turns", False),
    )


@pytest.mark.parametrize("arguments", ARGUMENTS, ids=str)
@pytest.mark.parametrize("history", [None, 7])
def test_events_added_in_batches_and_a_bounded_history_give_rasas_states(arguments, history):
    events = _eventful_conversation()
    tracker = DialogueStateTracker("patient", DOMAIN.slots, max_event_history=history)
    for start in range(0, len(events), 3):
        tracker.update_with_events(events[start : start + 3], None)
        assert _ours(tracker, **arguments) == _rasas(tracker, **arguments)


def _loops_conversation():
    """A hidden loop action, then the loop only named after two of its executions."""
    return [
        ActionExecuted("action_listen"),
        _user("report_weakness"),
        ActionExecuted(FORM, hide_rule_turn=True),
        SlotSet(QUESTION_SLOT, None),
        ActionExecuted("action_listen"),
        _user("affirm", "oui"),
        ActionExecuted(FORM),
        ActionExecuted("action_listen"),
        _user("deny", "non"),
        ActionExecuted(FORM),
        ActiveLoop(FORM),
        ActionExecuted("action_listen"),
        _user("affirm", "oui"),
        ActionExecuted(FORM, hide_rule_turn=True),
        SlotSet(QUESTION_SLOT, True),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
    ]


@pytest.mark.parametrize("arguments", ARGUMENTS, ids=str)
def test_loops_named_late_and_hidden_loop_turns_give_rasas_states(arguments):
    tracker = _tracker([])
    for event in _loops_conversation():
        tracker.update(event)
        assert _ours(tracker, **arguments) == _rasas(tracker, **arguments), event


@pytest.mark.parametrize("arguments", ARGUMENTS, ids=str)
@pytest.mark.parametrize(
    "edit",
    [
        lambda tracker: tracker.update(DefinePrevUserUtteredFeaturization(True)),
        lambda tracker: tracker.update(EntitiesAdded([{"entity": "exam", "value": "irm"}])),
        # the processor's path: the prediction's events applied to a copy, then the action
        # rejected, which is the only event the tracker gets
        lambda tracker: (
            tracker.copy().update_with_events([DefinePrevUserUtteredFeaturization(True)], None),
            tracker.update(ActionExecutionRejected("action_answer_from_knowledge")),
        ),
    ],
    ids=["define_featurization", "entities_added", "rejected_after_a_copy"],
)
def test_a_kept_turns_user_message_edited_in_place_is_replayed_again(arguments, edit):
    tracker = _tracker(
        [
            ActionExecuted("action_listen"),
            _user("greet", "bonjour"),
            ActionExecuted("action_listen"),
        ]
    )
    _ours(tracker, **arguments)
    edit(tracker)
    assert _ours(tracker, **arguments) == _rasas(tracker, **arguments)


def test_a_replay_that_failed_half_way_is_not_kept(monkeypatch):
    tracker = _tracker(_conversation()[:10])
    _ours(tracker)
    replay = tracker.__dict__[policy_states._REPLAYS][(False, False)]
    tracker.update_with_events([ActionExecuted("action_listen"), _user("greet")], None)
    monkeypatch.setattr(replay.replayed, "update", _fails_after(1, replay.replayed.update))
    with pytest.raises(RuntimeError):
        _ours(tracker)
    assert (False, False) not in tracker.__dict__[policy_states._REPLAYS]
    assert _ours(tracker) == _rasas(tracker)


def _fails_after(calls, update):
    done = []

    def failing(event, *arguments):
        if len(done) >= calls:
            raise RuntimeError("replay failed")
        done.append(event)
        update(event, *arguments)

    return failing


def test_events_that_only_add_are_replayed_alone():
    tracker = _tracker(_conversation()[:10])
    _ours(tracker)
    replay = tracker.__dict__[policy_states._REPLAYS][(False, False)]
    for event in [ActionExecuted("action_listen"), _user("greet"), SlotSet("subject", "x")]:
        tracker.update(event)
        assert _ours(tracker) == _rasas(tracker)
        assert tracker.__dict__[policy_states._REPLAYS][(False, False)] is replay
    tracker.update(Restarted())
    assert _ours(tracker) == _rasas(tracker)
    assert tracker.__dict__[policy_states._REPLAYS][(False, False)] is not replay


def test_arguments_interleaved_as_the_policies_call_them():
    tracker = _tracker(_conversation())
    for _ in range(2):
        for arguments in ARGUMENTS:
            assert _ours(tracker, **arguments) == _rasas(tracker, **arguments)


def test_a_caller_editing_its_states_changes_nothing_for_the_next():
    tracker = _tracker(_conversation())
    expected = _rasas(tracker)
    first = _ours(tracker)
    first[-1].pop("user", None)  # as RulePolicy does with the last user input
    first[-1]["prev_action"]["action_name"] = "edited"
    first.append({})
    second = _ours(tracker)
    assert second == expected
    second[-2]["prev_action"]["action_name"] = "edited"
    assert _ours(tracker) == expected


def test_a_conversation_that_changed_is_built_again():
    events = _conversation()
    tracker = _tracker(events)
    _ours(tracker)
    # an event replaced, same length
    tracker.events[-1] = _user("deny", "non")
    assert _ours(tracker) == _rasas(tracker)
    # another tracker with the same events, and the same events in another domain
    other = _tracker(events)
    assert _ours(other) == _rasas(other)
    smaller = Domain.from_dict({"intents": ["greet", "affirm"], "actions": ["utter_greet"]})
    assert _ours(other, smaller) == _rasas(other, smaller)


def test_shared_sub_states_stay_shared_in_the_copies(monkeypatch):
    """Rasa carries one user input or previous action into later states (hidden rule turns);
    the featurizer then edits the last state's user input in place, which reaches them all."""
    from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer

    monkeypatch.setattr(
        Domain, "states_for_tracker_history", policy_states._states_for_tracker_history
    )
    domain = Domain.from_dict(
        {"intents": ["greet", "affirm"], "actions": ["utter_greet", "utter_rule"]}
    )
    for intent in (None, "greet"):
        events = [
            ActionExecuted("action_listen"),
            UserUttered("bonjour", {"name": intent, "confidence": 1.0} if intent else None),
            ActionExecuted("utter_greet"),
            ActionExecuted("action_listen"),
            UserUttered("merci", {"name": "affirm", "confidence": 1.0}),
            ActionExecuted("utter_rule", hide_rule_turn=True),
        ]
        tracker = DialogueStateTracker.from_events("patient", events)
        built = RASAS_OWN(domain, tracker, ignore_rule_only_turns=True, rule_only_data={})
        assert built[-1]["user"] is built[-2]["user"]  # what this test is about
        for text in (False, True):
            featurizer = MaxHistoryTrackerFeaturizer(None, max_history=3)
            arguments = {
                "ignore_rule_only_turns": True,
                "rule_only_data": {},
                "use_text_for_last_user_input": text,
            }
            with policy_states.one_run():
                expected = _featurized_by_rasa(featurizer, tracker, domain, arguments)
                first = featurizer.prediction_states([tracker], domain, **arguments)
                again = featurizer.prediction_states([tracker], domain, **arguments)
            assert first == again == expected


def _featurized_by_rasa(featurizer, tracker, domain, arguments):
    original = Domain.states_for_tracker_history
    Domain.states_for_tracker_history = RASAS_OWN
    try:
        return featurizer.prediction_states([tracker], domain, **arguments)
    finally:
        Domain.states_for_tracker_history = original


def test_outside_a_run_nothing_is_kept():
    tracker = _tracker(_conversation())
    token = policy_states._in_run.set(False)
    try:
        _ours(tracker)
        tracker.events[-1].intent["name"] = "deny"  # an event edited in place
        assert _ours(tracker) == _rasas(tracker)
        assert _rasas(tracker)[-1]["user"]["intent"] == "deny"
        assert policy_states._REPLAYS not in tracker.__dict__
    finally:
        policy_states._in_run.reset(token)


def test_rule_only_data_edited_after_the_call_is_built_again():
    tracker = _tracker(_conversation())
    data = {"rule_only_slots": [], "rule_only_loops": []}
    _ours(tracker, ignore_rule_only_turns=True, rule_only_data=data)
    data["rule_only_slots"].append(QUESTION_SLOT)
    data["rule_only_loops"].append(FORM)
    assert _ours(tracker, ignore_rule_only_turns=True, rule_only_data=data) == _rasas(
        tracker, ignore_rule_only_turns=True, rule_only_data=data
    )


def test_applied(monkeypatch):
    monkeypatch.setattr(Domain, "states_for_tracker_history", RASAS_OWN)  # restored after
    policy_states.apply()
    assert Domain.states_for_tracker_history is policy_states._states_for_tracker_history


def _rule_lookup(states):
    """Rules as RulePolicy keeps them (JSON of their states), cut from a real conversation's
    states and altered: several lengths, a conversation start, a slot that must not be set,
    an intent or an action the conversation does not have."""
    rules = []
    for length in range(1, 5):
        for end in range(length, len(states) + 1):
            rules.append(states[end - length : end])
    rules.append([{}, states[0]])  # a conversation start
    altered = []
    for rule in rules[:40]:
        other = json.loads(json.dumps(rule))
        last = other[-1]
        if "user" in last:
            last["user"] = {"intent": "deny"}
        last.setdefault("slots", {})[QUESTION_SLOT] = SHOULD_NOT_BE_SET
        altered.append(other)
        dropped = json.loads(json.dumps(rule))
        dropped[0].pop("prev_action", None)
        altered.append(dropped)
    return {
        json.dumps(rule, sort_keys=True): f"action_{i}" for i, rule in enumerate(rules + altered)
    }


@pytest.mark.parametrize("arguments", ARGUMENTS[:2], ids=str)
def test_rules_that_fit_are_rasas(arguments):

    states = RASAS_OWN(DOMAIN, _tracker(_conversation()), **arguments)
    lookup = _rule_lookup(states)
    policy = RulePolicy.__new__(RulePolicy)
    checked = 0
    for end in range(len(states) + 1):
        history = states[:end]
        ours = rule_keys._get_possible_keys(policy, lookup, history)
        assert ours == RASAS_GET_POSSIBLE_KEYS(policy, lookup, history)
        checked += len(ours)
    assert checked > len(states)  # rules fitted along the way
    assert rule_keys._get_possible_keys(policy, {}, states) == set()
    # no history: every rule, as Rasa, without reading the keys
    assert rule_keys._get_possible_keys(policy, {"not json": "a"}, []) == {"not json"}


def test_the_rule_shortcuts_are_applied(monkeypatch):
    monkeypatch.setattr(RulePolicy, "_get_possible_keys", RASAS_GET_POSSIBLE_KEYS)
    rule_keys.apply()
    assert RulePolicy._get_possible_keys is rule_keys._get_possible_keys
