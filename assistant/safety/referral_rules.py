"""The rules that raise, keep, explain or withdraw an urgent referral (red_flags.md, "In a
conversation"):

- a warning sign gets the referral that fits its family, once; the level only goes up;
- while an alert is pending, doubt or refusal keeps the advice, "pourquoi ?" names the sign,
  an action taken ends the reminders, and a clear correction may withdraw the alert;
- every other answer carries a short reminder until the writer says they acted on it.
"""

from __future__ import annotations

from typing import Sequence

from assistant.safety.conversation_signals import (
    ACTED,
    CORRECTION,
    CORRECTION_DOUBT,
    PUSHBACK,
    WHY,
)
from assistant.safety.levels import NON_URGENT, URGENCE_24H, URGENCE_IMMEDIATE, most_urgent
from assistant.safety.turn import (
    ACTED_SLOT,
    ACTION_LISTEN,
    FAMILY_SLOT,
    FORM,
    SIGN_SLOT,
    TRIAGE_SLOT,
    UTTER_ACTED,
    UTTER_KEPT,
    UTTER_NON_URGENT,
    UTTER_REMINDER,
    UTTER_WITHDRAWN,
    Decision,
    Questionnaire,
    SlotChange,
    Turn,
    is_safety_response,
    keep_response,
    urgent_response,
    why_response,
)

RANK = {URGENCE_IMMEDIATE: 2, URGENCE_24H: 1}
# What the NLU model's intents mean while an alert is pending, when no reviewed cue said it.
REACTION_OF_INTENT = {
    "refuse_referral": PUSHBACK,
    "deny": PUSHBACK,
    "stop": PUSHBACK,
    "dont_know": PUSHBACK,
    "confirm_help_sought": ACTED,
    "ask_why_alert": WHY,
    # The model cannot tell a clear correction from a vague one: the alert is kept.
    "correct_misunderstanding": CORRECTION_DOUBT,
}
ACKNOWLEDGING_INTENTS = frozenset({"affirm"})
NEGATIVE_ANSWERS = frozenset({"no"})


def listen_after_final_response(turn: Turn, _: Questionnaire) -> Decision | None:
    if is_safety_response(turn.latest_action):
        if turn.active_loop == FORM and turn.form_rejected:
            return Decision(FORM)  # the question the reply interrupted is asked again
        return Decision(ACTION_LISTEN)
    return None


def immediate_referral(turn: Turn, triage: Questionnaire) -> Decision | None:
    """A neurological sign, reported or a yes to its question, stops everything else."""
    if _already_answered(turn):
        return None
    signs = [c for c in triage.red_flags(turn) if triage.category_levels[c] == URGENCE_IMMEDIATE]
    answered = [q for q in _answered_yes(turn, triage) if q.level_if_yes == URGENCE_IMMEDIATE]
    if signs:
        family, label = triage.category_families[signs[0]], triage.category_labels[signs[0]]
    elif answered:
        family, label = answered[0].family_if_yes, answered[0].label_if_yes
    else:
        return None
    stop_form = turn.active_loop is not None
    if turn.pending_level == URGENCE_IMMEDIATE and turn.reaction == PUSHBACK:
        return Decision(keep_response(family), stop_form=stop_form)
    return _alert(turn, URGENCE_IMMEDIATE, family, label, stop_form)


def reaction_to_pending_alert(turn: Turn, triage: Questionnaire) -> Decision | None:
    """What the writer says back to a pending alert, outside the questions or instead of an
    answer to one (the question is then asked again)."""
    family = turn.slots.get(FAMILY_SLOT)
    if not turn.pending_level or not family or _already_answered(turn):
        return None
    if turn.form_was_active and not turn.form_rejected:
        return None  # an answer to a question
    if triage.red_flags(turn):
        return None  # a sign in the same message is judged by its own rule
    reaction = turn.reaction or REACTION_OF_INTENT.get(turn.intent or "")
    if reaction == CORRECTION:
        # Withdrawn only on a clear correction: an animal or a fiction, someone else's past, a
        # sign resolved long ago (red_flags.md); the warning signs are repeated.
        cleared = (
            SlotChange(TRIAGE_SLOT, NON_URGENT),
            SlotChange(FAMILY_SLOT, None),
            SlotChange(SIGN_SLOT, None),
            SlotChange(ACTED_SLOT, False),
        )
        return Decision(UTTER_WITHDRAWN, slot_changes=cleared)
    if reaction == CORRECTION_DOUBT:
        return Decision(UTTER_KEPT)
    if reaction == ACTED:
        return Decision(UTTER_ACTED, slot_changes=(SlotChange(ACTED_SLOT, True),))
    if reaction == WHY:
        return Decision(why_response(family))
    if reaction == PUSHBACK:
        return Decision(keep_response(family))
    if turn.intent in ACKNOWLEDGING_INTENTS:
        return Decision(UTTER_REMINDER)
    return None


def referral_within_24h(turn: Turn, triage: Questionnaire) -> Decision | None:
    """A sign to be seen today, outside the questions (inside, the verdict comes at the end)."""
    if turn.form_was_active or _already_answered(turn):
        return None
    signs = [c for c in triage.red_flags(turn) if triage.category_levels[c] == URGENCE_24H]
    if not signs:
        return None
    if turn.pending_level == URGENCE_IMMEDIATE:
        # A milder sign never lowers the level: the pending advice is repeated.
        return Decision(UTTER_REMINDER)
    family, label = triage.category_families[signs[0]], triage.category_labels[signs[0]]
    if turn.pending_level and turn.reaction == PUSHBACK:
        return Decision(keep_response(family))
    return _alert(turn, URGENCE_24H, family, label)


def verdict_when_form_completes(turn: Turn, triage: Questionnaire) -> Decision | None:
    if turn.latest_action != FORM or turn.active_loop is not None:
        return None
    answered = [q for q in triage.questions if _is_yes(turn.slots.get(q.slot))]
    level = most_urgent(q.level_if_yes for q in answered)
    if turn.pending_level and RANK[turn.pending_level] >= RANK.get(level or "", 0):
        return Decision(UTTER_REMINDER)  # the pending advice stands, whatever the answers
    if level is None:
        return Decision(UTTER_NON_URGENT, slot_changes=(SlotChange(TRIAGE_SLOT, NON_URGENT),))
    top = next(q for q in answered if q.level_if_yes == level)
    return _alert(turn, level, top.family_if_yes, top.label_if_yes)


def remind_pending_advice(turn: Turn, _: Questionnaire) -> Decision | None:
    """After another policy's answer, a short reminder, until the writer says they acted."""
    if (
        turn.pending_level
        and not turn.slots.get(ACTED_SLOT)
        and turn.latest_action not in (ACTION_LISTEN, FORM, None)
        and not turn.latest_action_failed
        and not turn.form_was_active
        and turn.active_loop is None
        and not _already_answered(turn)
    ):
        return Decision(UTTER_REMINDER)
    return None


def _alert(turn: Turn, level: str, family: str, label: str, stop_form: bool = False) -> Decision:
    """The referral of a sign's family. The level never goes down: a new sign of a lower
    level than the pending one only changes which advice is said."""
    pending = turn.pending_level
    kept = pending if pending and RANK[pending] > RANK[level] else level
    changes = [SlotChange(TRIAGE_SLOT, kept)]
    if kept == level:
        changes += [
            SlotChange(FAMILY_SLOT, family),
            SlotChange(SIGN_SLOT, label),
            SlotChange(ACTED_SLOT, False),
        ]
    return Decision(urgent_response(family), slot_changes=tuple(changes), stop_form=stop_form)


def _already_answered(turn: Turn) -> bool:
    """The safety path already said something in this turn."""
    return any(is_safety_response(action) for action in turn.actions)


def _answered_yes(turn: Turn, triage: Questionnaire) -> Sequence:
    if not turn.form_was_active:
        return []
    return [
        q for q in triage.questions if q.slot in turn.slots_set and _is_yes(turn.slots_set[q.slot])
    ]


def _is_yes(value: object) -> bool:
    """Any recorded answer but a clear no: 'yes', 'unsure' and a sign the patient described."""
    return value is not None and value not in NEGATIVE_ANSWERS
