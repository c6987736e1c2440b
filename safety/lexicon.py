"""Loads the reviewed warning-sign lexicon (`lexicon.yml`) and compiles its patterns into
spaCy `Matcher` patterns (see matching/patterns.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Set

from matching.patterns import compile_pattern, gap_elements
from matching.storage import read_source
from matching.text_normalization import fold
from safety.levels import URGENT_LEVELS, VERIFY

DEFAULT_LEXICON_PATH = Path(__file__).with_name("lexicon.yml")


@dataclass(frozen=True)
class Category:
    name: str
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


@dataclass
class Lexicon:
    categories: Dict[str, Category]
    questions: List[Question]
    # label -> one compiled Matcher pattern; labels are "category:<name>:<strength>:<n>",
    # strength being strong, term (names a condition) or weak, or "context:<kind>:<n>"
    patterns: Dict[str, List[Dict[str, Any]]]
    sms: Dict[str, List[str]]
    vocabulary: Set[str]
    # symptom-report intent -> the category it stands for when the lexicon found nothing
    report_intent_categories: Dict[str, str]
    report_intent_threshold: float
    source: Dict[str, Any]

    def gap_elements(self, label: str) -> FrozenSet[int]:
        return gap_elements(self.patterns[label])


def load_lexicon(path: Path = DEFAULT_LEXICON_PATH) -> Lexicon:
    return lexicon_from_dict(read_source(path))


def lexicon_from_dict(source: Dict[str, Any]) -> Lexicon:
    categories = {
        name: Category(
            name=name,
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
    return Lexicon(
        categories=categories,
        questions=[Question(**question) for question in source["questions"]],
        patterns=patterns,
        sms={fold(k): [fold(v) for v in values] for k, values in source["sms"].items()},
        vocabulary=vocabulary,
        report_intent_categories=dict(source["report_intents"]["categories"]),
        report_intent_threshold=float(source["report_intents"]["confidence_threshold"]),
        source=source,
    )
