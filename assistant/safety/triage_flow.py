"""The safety path as a small deterministic state machine, independent of Rasa.

After every event of a turn, `decide` says which action the bot must take next to stay
safe, or None to let the other policies answer. It never needs the action server: every
action it names is a static domain response or the warning-sign form, which Rasa runs
itself from the slot mappings in the domain.
"""

from __future__ import annotations

from typing import Any, Dict

from assistant.safety import questionnaire_rules, referral_rules
from assistant.safety.lexicon import Lexicon, questionnaire_from
from assistant.safety.turn import Decision, Questionnaire, Turn

# In this order: the first rule with something to say decides.
RULES = (
    referral_rules.listen_after_final_response,
    referral_rules.immediate_referral,
    referral_rules.reaction_to_pending_alert,
    questionnaire_rules.stop_form_on_request,
    referral_rules.referral_within_24h,
    referral_rules.verdict_when_form_completes,
    questionnaire_rules.rephrase_in_form,
    questionnaire_rules.resume_form_after_interruption,
    questionnaire_rules.start_form,
    questionnaire_rules.ask_first_question,
    referral_rules.remind_pending_advice,
)


def questionnaire_for(lexicon: Lexicon, domain_slots: Dict[str, Any]) -> Questionnaire:
    """What the state machine needs of the reviewed content: the form's questions with their
    levels, each category's level, family and label, and the symptom-report intents."""
    categories = lexicon.categories
    return Questionnaire(
        questions=questionnaire_from(domain_slots, categories),
        category_levels={name: c.level for name, c in categories.items()},
        report_intents=frozenset(lexicon.report_intent_categories),
        category_families={name: c.family for name, c in categories.items()},
        category_labels={name: c.label for name, c in categories.items()},
    )


def decide(turn: Turn, triage: Questionnaire) -> Decision | None:
    for rule in RULES:
        decision = rule(turn, triage)
        if decision is not None:
            return decision
    return None
