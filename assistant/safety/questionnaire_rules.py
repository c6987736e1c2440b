"""The rules of the warning-sign questions (the domain's form, run by Rasa itself): start them
on a symptom report, rephrase, resume after an interruption, stop on request. A sign already
reported in the conversation is never asked again."""

from __future__ import annotations

from assistant.safety.levels import URGENCE_IMMEDIATE
from assistant.safety.nlu_signal import ENTITY_DISCARDED
from assistant.safety.referral_rules import NEGATIVE_ANSWERS
from assistant.safety.turn import (
    ACTION_LISTEN,
    FORM,
    UTTER_FORM_INTRO,
    UTTER_FORM_REPHRASE,
    UTTER_FORM_STOPPED,
    UTTER_REMINDER,
    Decision,
    Questionnaire,
    SlotChange,
    Turn,
)

STOP_INTENT = "stop"
# Intents the form cannot take as an answer and no other rule answers well mid-form.
UNCLEAR_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "other_language", None})


def stop_form_on_request(turn: Turn, _: Questionnaire) -> Decision | None:
    if turn.active_loop == FORM and turn.intent == STOP_INTENT and not turn.actions:
        return Decision(UTTER_FORM_STOPPED, stop_form=True)
    return None


def rephrase_in_form(turn: Turn, _: Questionnaire) -> Decision | None:
    if (
        turn.active_loop == FORM
        and turn.form_rejected
        and turn.intent in UNCLEAR_INTENTS
        and UTTER_FORM_REPHRASE not in turn.actions
    ):
        return Decision(UTTER_FORM_REPHRASE)
    return None


def resume_form_after_interruption(turn: Turn, _: Questionnaire) -> Decision | None:
    """After answering a question asked in the middle of the form, ask its question again."""
    if (
        turn.active_loop == FORM
        and turn.form_rejected
        and turn.latest_action not in (ACTION_LISTEN, FORM, None)
    ):
        return Decision(FORM)
    return None


def start_form(turn: Turn, triage: Questionnaire) -> Decision | None:
    """A symptom report without a clear sign starts the questions. Earlier "no" answers are
    asked again; a sign already reported is kept, and so not asked again. With a neurological
    sign already pending, the questions would change nothing: its advice is repeated."""
    if (
        turn.intent not in triage.report_intents
        or turn.form_was_active
        or turn.active_loop is not None
        or triage.red_flags(turn)
        or turn.actions
    ):
        return None
    if turn.pending_level == URGENCE_IMMEDIATE or (turn.pending_level and _denies_signs(turn)):
        # With an alert pending, "je n'ai ni fourmis ni faiblesse" is not asked again: the
        # pending advice is repeated.
        return Decision(UTTER_REMINDER)
    reset = tuple(
        SlotChange(q.slot, None)
        for q in triage.questions
        if turn.slots.get(q.slot) in NEGATIVE_ANSWERS
    )
    return Decision(UTTER_FORM_INTRO, slot_changes=reset)


def ask_first_question(turn: Turn, _: Questionnaire) -> Decision | None:
    if turn.latest_action == UTTER_FORM_INTRO:
        return Decision(FORM)
    return None


def _denies_signs(turn: Turn) -> bool:
    """The message names warning signs only to deny them."""
    return any(e.get("entity") == ENTITY_DISCARDED for e in turn.entities)
