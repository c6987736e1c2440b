"""Loads the reviewed warning-sign lexicon (content/safety: the clinical categories, the
linguistic cues and the cues of a conversation) and compiles its patterns into spaCy `Matcher`
patterns (see assistant/matching/patterns.py). Also derives the warning-sign questions from the domain's slots:
each question's level is the most urgent level of the categories that answer it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Set

from assistant.matching.patterns import compile_pattern, gap_elements
from assistant.matching.storage import read_source
from assistant.matching.text_normalization import fold
from assistant.safety.levels import URGENT_LEVELS, VERIFY, most_urgent
from content import CONTEXT_CUES, CONVERSATION_CUES, WARNING_SIGNS

# The entity the red-flag detector sets; its role names the question a sign answers.
ENTITY_RED_FLAG = "signe_alerte"
# The kinds of conversation cues besides the reactions (content/safety/conversation_cues.yml).
CONVERSATION_KINDS = ("relative", "third_person", "cancer")


@dataclass(frozen=True)
class Category:
    name: str
    family: str  # which advice fits: moelle, fracture, calcium or douleur
    level: str
    role: str
    intent: str
    label: str
    verify_if_context: List[str] = field(default_factory=list)
    # Categories whose mention, when it contains this one's, replaces it.
    yields_to: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class Question:
    slot: str
    role: str
    level_if_yes: str
    family_if_yes: str
    label_if_yes: str  # the sign a yes reports, said back when the writer asks why


@dataclass
class Lexicon:
    categories: Dict[str, Category]
    # label -> one compiled Matcher pattern; labels are "category:<name>:<strength>:<n>",
    # strength being strong, term (names a condition) or weak, "context:<kind>:<n>", or
    # "conversation:<kind>:<n>" for the cues of a conversation
    patterns: Dict[str, List[Dict[str, Any]]]
    sms: Dict[str, List[str]]
    vocabulary: Set[str]
    # symptom-report intent -> the category it stands for when the lexicon found nothing
    report_intent_categories: Dict[str, str]
    report_intent_threshold: float
    # A message this long in a language the bot cannot read gets the warning-sign questions.
    unreadable_message_words: int
    # urgent level -> the probability the learned layer needs to take it
    classifier_thresholds: Dict[str, float]
    # language -> its frequent short words, and French's
    language_words: Dict[str, FrozenSet[str]]
    french_words: FrozenSet[str]
    short_message_words: int
    source: Dict[str, Any]

    def gap_elements(self, label: str) -> FrozenSet[int]:
        return gap_elements(self.patterns[label])


def read_lexicon_source(
    warning_signs: Path = WARNING_SIGNS,
    cues: Path = CONTEXT_CUES,
    conversation: Path = CONVERSATION_CUES,
) -> Dict[str, Any]:
    """The reviewed files as one mapping: categories and report intents, context and sms, and
    the conversation cues under `conversation`."""
    return {
        **read_source(warning_signs),
        **read_source(cues),
        "conversation": read_source(conversation),
    }


def load_lexicon(
    warning_signs: Path = WARNING_SIGNS,
    cues: Path = CONTEXT_CUES,
    conversation: Path = CONVERSATION_CUES,
) -> Lexicon:
    return lexicon_from_dict(read_lexicon_source(warning_signs, cues, conversation))


def questionnaire_from(
    domain_slots: Dict[str, Any], categories: Dict[str, Category]
) -> List[Question]:
    """The warning-sign questions: the slots that the warning-sign entity fills by its role
    (content/domain/safety.yml), each with the most urgent level among the categories of that
    role. (Rasa prunes the forms' required slots from the domain that policies train on; the
    slot mappings stay.)"""
    questions = []
    for slot, spec in domain_slots.items():
        roles = [
            mapping["role"]
            for mapping in spec.get("mappings", [])
            if mapping.get("entity") == ENTITY_RED_FLAG and "role" in mapping
        ]
        if not roles:
            continue
        answering = [c for c in categories.values() if c.role in roles]
        level = most_urgent(c.level for c in answering)
        if level is None:
            raise ValueError(
                f"No urgent warning-sign category answers the question of {slot} ({roles})"
            )
        # The first category of that level, in the order of warning_signs.yml.
        top = next(c for c in answering if c.level == level)
        questions.append(
            Question(slot, roles[0], level, family_if_yes=top.family, label_if_yes=top.label)
        )
    return questions


def lexicon_from_dict(source: Dict[str, Any]) -> Lexicon:
    categories = {
        name: Category(
            name=name,
            family=spec["family"],
            level=spec["level"],
            role=spec["role"],
            intent=spec["intent"],
            label=spec["label"],
            verify_if_context=[fold(word) for word in spec.get("verify_if_context", [])],
            yields_to=list(spec.get("yields_to", [])),
        )
        for name, spec in source["categories"].items()
    }
    for category in categories.values():
        if category.level not in URGENT_LEVELS + (VERIFY,):
            raise ValueError(f"Unknown level {category.level!r} for {category.name}")

    # Spelling repair aims at the signs' words only: repairing towards cue words would turn
    # "venir" into "avenir".
    vocabulary: Set[str] = set()
    patterns: Dict[str, List[Dict[str, Any]]] = {}
    for name, spec in source["categories"].items():
        for strength, key in (("strong", "patterns"), ("term", "terms"), ("weak", "weak_patterns")):
            for n, line in enumerate(spec.get(key, [])):
                patterns[f"category:{name}:{strength}:{n}"] = compile_pattern(line, vocabulary)
    # Context cues are mostly short function words: matched exactly, never by stem
    # ("comme" and "comment" share a stem).
    for kind, lines in source["context"].items():
        for n, line in enumerate(lines):
            patterns[f"context:{kind}:{n}"] = compile_pattern(line, set(), stemmed=False)
    conversation = source["conversation"]
    reactions = {k: v for k, v in conversation["reactions"].items() if isinstance(v, list)}
    for kind, lines in {**reactions, **{k: conversation[k] for k in CONVERSATION_KINDS}}.items():
        for n, line in enumerate(lines):
            patterns[f"conversation:{kind}:{n}"] = compile_pattern(line, set(), stemmed=False)
    return Lexicon(
        categories=categories,
        patterns=patterns,
        sms={fold(k): [fold(v) for v in values] for k, values in source["sms"].items()},
        vocabulary=vocabulary,
        report_intent_categories=dict(source["report_intents"]["categories"]),
        report_intent_threshold=float(source["report_intents"]["confidence_threshold"]),
        unreadable_message_words=int(source["report_intents"]["unreadable_message_words"]),
        classifier_thresholds={
            level: float(value) for level, value in source["classifier_thresholds"].items()
        },
        language_words={
            language: frozenset(fold(w) for w in words.split())
            for language, words in conversation["languages"].items()
        },
        french_words=frozenset(fold(w) for w in conversation["french_words"].split()),
        short_message_words=int(conversation["reactions"]["short_message_words"]),
        source=source,
    )
