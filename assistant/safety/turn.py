"""What the safety path's state machine reads and decides, independent of Rasa: the current
turn, the reviewed triage knowledge, the decision, and the names of the domain's slots and
responses it uses (content/domain/safety.yml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, List, Sequence, Tuple

from assistant.safety.levels import URGENT_LEVELS
from assistant.safety.lexicon import ENTITY_RED_FLAG, Question

FORM = "warning_signs_form"
REQUESTED_SLOT = "requested_slot"
ACTION_LISTEN = "action_listen"

# The pending alert: its level, the family of its sign, the sign in the patient's terms, and
# whether the writer said they acted on the advice.
TRIAGE_SLOT = "triage"
FAMILY_SLOT = "alerte_famille"
SIGN_SLOT = "signe_signale"
ACTED_SLOT = "conseil_suivi"
ALERT_SLOTS = (TRIAGE_SLOT, FAMILY_SLOT, SIGN_SLOT, ACTED_SLOT)

ENTITY_REACTION = "reaction"

UTTER_NON_URGENT = "utter_triage_non_urgent"
UTTER_REMINDER = "utter_rappel_urgence"
UTTER_ACTED = "utter_conseil_suivi"
UTTER_WITHDRAWN = "utter_alerte_retiree"
UTTER_KEPT = "utter_alerte_maintenue"
UTTER_FORM_INTRO = "utter_questionnaire_intro"
UTTER_FORM_REPHRASE = "utter_questionnaire_reformuler"
UTTER_FORM_STOPPED = "utter_questionnaire_interrompu"
# By family of the sign (moelle, fracture, calcium, douleur).
URGENT_PREFIX = "utter_urgence_"
KEEP_PREFIX = "utter_maintien_"
WHY_PREFIX = "utter_pourquoi_"


def urgent_response(family: str) -> str:
    return URGENT_PREFIX + family


def keep_response(family: str) -> str:
    return KEEP_PREFIX + family


def why_response(family: str) -> str:
    return WHY_PREFIX + family


def is_safety_response(action: str | None) -> bool:
    """A response of the safety path that ends the turn: the bot then waits for the writer,
    and adds no reminder after it."""
    return bool(action) and (
        str(action).startswith((URGENT_PREFIX, KEEP_PREFIX, WHY_PREFIX))
        or action in FINAL_FIXED_RESPONSES
    )


FINAL_FIXED_RESPONSES = frozenset(
    {
        UTTER_NON_URGENT,
        UTTER_REMINDER,
        UTTER_ACTED,
        UTTER_WITHDRAWN,
        UTTER_KEPT,
        UTTER_FORM_STOPPED,
    }
)


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
    slots_set: Dict[str, Any]  # question slots set since the user's message (last value wins)
    slots: Dict[str, Any]  # current values of the question slots and of ALERT_SLOTS
    active_loop: str | None
    form_was_active: bool  # the form was active when the user's message arrived
    form_rejected: bool  # the form could not use the user's message
    latest_action: str | None
    # The latest action is a custom action that failed (no event after it): another policy
    # says so, before any reminder.
    latest_action_failed: bool = False

    @property
    def pending_level(self) -> str | None:
        level = self.slots.get(TRIAGE_SLOT)
        return level if level in URGENT_LEVELS else None

    @property
    def reaction(self) -> str | None:
        return next(
            (str(e.get("value")) for e in self.entities if e.get("entity") == ENTITY_REACTION), None
        )


@dataclass(frozen=True)
class Questionnaire:
    """The reviewed triage knowledge the state machine needs (the lexicon and the form)."""

    questions: Sequence[Question]
    category_levels: Dict[str, str]  # warning-sign category -> its level
    report_intents: FrozenSet[str] = frozenset()  # symptom reports that start the questions
    category_families: Dict[str, str] = field(default_factory=dict)
    category_labels: Dict[str, str] = field(default_factory=dict)

    def red_flags(self, turn: Turn) -> List[str]:
        """The warning-sign categories the writer reports in this message."""
        return [
            str(e.get("value"))
            for e in turn.entities
            if e.get("entity") == ENTITY_RED_FLAG and str(e.get("value")) in self.category_levels
        ]
