"""The safety path as a small deterministic state machine, independent of Rasa.

After every event of a turn, `decide` says which action the bot must take next to stay
safe, or None to let the other policies answer. It never needs the action server: every
action it names is a static domain response or the warning-sign form, which Rasa runs
itself from the slot mappings in the domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, List, Sequence, Tuple

from assistant.safety.levels import NON_URGENT, URGENCE_24H, URGENCE_IMMEDIATE, most_urgent
from assistant.safety.lexicon import ENTITY_RED_FLAG, Lexicon, Question, questionnaire_from

TRIAGE_SLOT = "triage"
FORM = "warning_signs_form"
REQUESTED_SLOT = "requested_slot"
ACTION_LISTEN = "action_listen"

UTTER_IMMEDIATE = "utter_urgence_immediate"
UTTER_24H = "utter_urgence_24h"
UTTER_NON_URGENT = "utter_triage_non_urgent"
UTTER_FORM_INTRO = "utter_questionnaire_intro"
UTTER_FORM_REPHRASE = "utter_questionnaire_reformuler"
UTTER_FORM_STOPPED = "utter_questionnaire_interrompu"
VERDICT_RESPONSES = {
    URGENCE_IMMEDIATE: UTTER_IMMEDIATE,
    URGENCE_24H: UTTER_24H,
    NON_URGENT: UTTER_NON_URGENT,
}
# After these the bot waits for the patient.
FINAL_RESPONSES = frozenset({UTTER_IMMEDIATE, UTTER_24H, UTTER_NON_URGENT, UTTER_FORM_STOPPED})

STOP_INTENT = "stop"
# Intents the form cannot take as an answer and no other rule answers well mid-form.
UNCLEAR_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "other_language", None})
NEGATIVE_ANSWERS = frozenset({"no"})


@dataclass(frozen=True)
class SlotChange:
    slot: str
    value: Any


@dataclass(frozen=True)
class Decision:
    action: str
    slot_changes: Tuple[SlotChange, ...] = ()
    stop_form: bool = False


@dataclass
class Turn:
    """What the guard needs to know about the current turn."""

    intent: str | None
    entities: List[Dict[str, Any]]
    actions: List[str]  # actions run since the user's message, in order
    slots_set: Dict[str, Any]  # slots set since the user's message (last value wins)
    slots: Dict[str, Any]  # current slot values
    active_loop: str | None
    form_was_active: bool  # the form was active when the user's message arrived
    form_rejected: bool  # the form could not use the user's message
    latest_action: str | None


@dataclass(frozen=True)
class Questionnaire:
    """The reviewed triage knowledge the state machine needs, from the lexicon."""

    questions: Sequence[Question]
    category_levels: Dict[str, str]  # warning-sign category -> its level
    report_intents: FrozenSet[str] = frozenset()  # symptom reports that start the questions


def questionnaire_for(lexicon: Lexicon, domain_slots: Dict[str, Any]) -> Questionnaire:
    """What the state machine needs of the reviewed content: the form's questions with their
    levels, each category's level and the symptom-report intents."""
    return Questionnaire(
        questions=questionnaire_from(domain_slots, lexicon.categories),
        category_levels={name: category.level for name, category in lexicon.categories.items()},
        report_intents=frozenset(lexicon.report_intent_categories),
    )


def decide(turn: Turn, triage: Questionnaire) -> Decision | None:
    for rule in (
        _listen_after_final_response,
        _immediate_referral,
        _stop_form_on_request,
        _referral_within_24h,
        _verdict_when_form_completes,
        _rephrase_in_form,
        _resume_form_after_interruption,
        _start_form,
        _ask_first_question,
    ):
        decision = rule(turn, triage)
        if decision is not None:
            return decision
    return None


def _listen_after_final_response(turn: Turn, _: Questionnaire) -> Decision | None:
    if turn.latest_action in FINAL_RESPONSES:
        return Decision(ACTION_LISTEN)
    return None


def _immediate_referral(turn: Turn, triage: Questionnaire) -> Decision | None:
    if UTTER_IMMEDIATE in turn.actions:
        return None
    flagged = _flag_level(turn, triage) == URGENCE_IMMEDIATE
    answered_yes = turn.form_was_active and any(
        _is_yes(turn.slots_set.get(q.slot)) and q.level_if_yes == URGENCE_IMMEDIATE
        for q in triage.questions
        if q.slot in turn.slots_set
    )
    if flagged or answered_yes:
        return _verdict(URGENCE_IMMEDIATE, stop_form=turn.active_loop is not None)
    return None


def _stop_form_on_request(turn: Turn, _: Questionnaire) -> Decision | None:
    if turn.active_loop == FORM and turn.intent == STOP_INTENT and not turn.actions:
        return Decision(UTTER_FORM_STOPPED, stop_form=True)
    return None


def _referral_within_24h(turn: Turn, triage: Questionnaire) -> Decision | None:
    # Inside the form, the slot mappings record the sign and the verdict comes at the end.
    if (
        _flag_level(turn, triage) == URGENCE_24H
        and not turn.form_was_active
        and UTTER_24H not in turn.actions
    ):
        return _verdict(URGENCE_24H)
    return None


def _verdict_when_form_completes(turn: Turn, triage: Questionnaire) -> Decision | None:
    if turn.latest_action != FORM or turn.active_loop is not None:
        return None
    levels = [q.level_if_yes for q in triage.questions if _is_yes(turn.slots.get(q.slot))]
    return _verdict(most_urgent(levels) or NON_URGENT)


def _rephrase_in_form(turn: Turn, _: Questionnaire) -> Decision | None:
    if (
        turn.active_loop == FORM
        and turn.form_rejected
        and turn.intent in UNCLEAR_INTENTS
        and UTTER_FORM_REPHRASE not in turn.actions
    ):
        return Decision(UTTER_FORM_REPHRASE)
    return None


def _resume_form_after_interruption(turn: Turn, _: Questionnaire) -> Decision | None:
    """After answering a question asked in the middle of the form, ask its question again."""
    if (
        turn.active_loop == FORM
        and turn.form_rejected
        and turn.latest_action not in (ACTION_LISTEN, FORM, None)
    ):
        return Decision(FORM)
    return None


def _start_form(turn: Turn, triage: Questionnaire) -> Decision | None:
    if (
        turn.intent in triage.report_intents
        and not turn.form_was_active
        and turn.active_loop is None
        and _flag_level(turn, triage) is None
        and not turn.actions
    ):
        reset = tuple(SlotChange(q.slot, None) for q in triage.questions)
        return Decision(UTTER_FORM_INTRO, slot_changes=reset)
    return None


def _ask_first_question(turn: Turn, _: Questionnaire) -> Decision | None:
    if turn.latest_action == UTTER_FORM_INTRO:
        return Decision(FORM)
    return None


def _flag_level(turn: Turn, triage: Questionnaire) -> str | None:
    """The most urgent level among the warning signs of the user's message."""
    return most_urgent(
        triage.category_levels.get(str(e.get("value")))
        for e in turn.entities
        if e.get("entity") == ENTITY_RED_FLAG
    )


def _is_yes(value: Any) -> bool:
    """Any recorded answer but a clear no: 'yes', 'unsure' and a sign the patient described."""
    return value is not None and value not in NEGATIVE_ANSWERS


def _verdict(level: str, stop_form: bool = False) -> Decision:
    return Decision(
        VERDICT_RESPONSES[level],
        slot_changes=(SlotChange(TRIAGE_SLOT, level),),
        stop_form=stop_form,
    )
