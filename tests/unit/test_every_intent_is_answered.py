"""Every intent of the domain has an answer: a rule or story of data/ says what follows it, or
the safety path takes it (the symptom reports). Every intent answered from the knowledge base
has an entry. Adding an intent without its answer fails here, not in front of a patient."""

from pathlib import Path
from typing import Any, Iterator, Set

import yaml

from actions.knowledge_base import FOLLOWUP_INTENTS, KnowledgeBase
from assistant.safety.lexicon import load_lexicon
from content import read_domain
from deploy.settings import PROJECT

ANSWER_FROM_KNOWLEDGE = "action_answer_from_knowledge"


def steps(path: Path) -> Iterator[list]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for block in data.get("rules", []) + data.get("stories", []):
        yield block.get("steps", [])


def intents_of(step: Any) -> Set[str]:
    if "intent" in step:
        return {step["intent"]}
    return {choice["intent"] for choice in step.get("or", []) if "intent" in choice}


def followed_intents(action: str | None = None) -> Set[str]:
    """Intents that a rule or story follows with an action (with `action`, only that one)."""
    found: Set[str] = set()
    for path in sorted((PROJECT / "data").glob("*/*.yml")):
        for block in steps(path):
            for step, following in zip(block, block[1:], strict=False):
                if "action" in following and (action is None or following["action"] == action):
                    found |= intents_of(step)
    return found


def test_every_intent_is_answered_by_a_rule_a_story_or_the_safety_path():
    safety_path = set(load_lexicon().report_intent_categories)
    unanswered = set(read_domain()["intents"]) - followed_intents() - safety_path
    assert not unanswered, f"intents with no rule, story or safety handling: {sorted(unanswered)}"


def test_every_intent_answered_from_the_knowledge_base_has_its_entry():
    knowledge = KnowledgeBase.load()
    questions = followed_intents(ANSWER_FROM_KNOWLEDGE) - set(FOLLOWUP_INTENTS)
    assert not [i for i in questions if not knowledge.subjects_named(i, [])]
