"""The rules that fit a conversation, found without walking its whole history for each rule.

Rasa 3.6's RulePolicy keeps the rules that fit the conversation's last state, then checks the
survivors against every earlier state, back to the start of the conversation, although a rule
no longer than `n` states fits every state beyond its `n`-th from the end (Rasa's own
`_is_rule_applicable`); and at each check it copies the rule's states. Here each rule's states
are reversed once, and the walk stops when no surviving rule is that long: 3.6% of a message
under load (docs/benchmarks.md). Same checks, same result.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Dict, List, Set, Tuple

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import State


@lru_cache(maxsize=4096)
def _reversed_rule(rule_key: str) -> Tuple[State, ...]:
    """A rule's states, latest first (read only: shared between calls)."""
    return tuple(reversed(json.loads(rule_key)))


def _applicable(rule: Tuple[State, ...], turn_index: int, conversation_state: State) -> bool:
    """Rasa's `RulePolicy._is_rule_applicable`, on the rule's reversed states."""
    if turn_index >= len(rule):
        return True
    current_previous_action = conversation_state.get(PREVIOUS_ACTION)
    rule_previous_action = rule[turn_index].get(PREVIOUS_ACTION)
    if not rule_previous_action and not current_previous_action:
        return True
    if not rule_previous_action or not current_previous_action:
        return False
    return RulePolicy._does_rule_match_state(rule[turn_index], conversation_state)


def _get_possible_keys(self: RulePolicy, lookup: Dict[str, str], states: List[State]) -> Set[str]:
    if not states:
        return set(lookup)
    rules = {key: _reversed_rule(key) for key in lookup}
    possible = set(rules)
    for turn_index, state in enumerate(reversed(states)):
        if all(turn_index >= len(rules[key]) for key in possible):
            break  # every rule left is shorter: each fits all the earlier states
        possible = {key for key in possible if _applicable(rules[key], turn_index, state)}
    return possible


def apply() -> None:
    RulePolicy._get_possible_keys = _get_possible_keys
