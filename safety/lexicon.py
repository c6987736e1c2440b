"""Loads the reviewed warning-sign lexicon (`lexicon.yml`) and compiles its patterns into
spaCy `Matcher` patterns over token forms (see `token_forms.py`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Set

import yaml

from safety.levels import URGENT_LEVELS, VERIFY
from safety.text_normalization import fold, stem

DEFAULT_LEXICON_PATH = Path(__file__).with_name("lexicon.yml")

# Each token's candidate forms are written, space-separated, into its NORM attribute, a
# native attribute that spaCy's Matcher reads far faster than a custom extension.
_GAP = re.compile(r"^~(\d*)$")
_NOT_SENTENCE_END = r"^[^.!?…\n]+$"


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
    # label -> one compiled Matcher pattern; labels are "category:<name>:<strength>:<n>"
    # or "context:<kind>:<n>"
    patterns: Dict[str, List[Dict[str, Any]]]
    sms: Dict[str, List[str]]
    vocabulary: Set[str]
    # symptom-report intent -> the category it stands for when the lexicon found nothing
    report_intent_categories: Dict[str, str]
    report_intent_threshold: float
    source: Dict[str, Any]

    def gap_elements(self, label: str) -> FrozenSet[int]:
        """Indices of the "~" elements in a pattern: the words they take are not the sign's."""
        return frozenset(i for i, element in enumerate(self.patterns[label]) if "OP" in element)


def load_lexicon(path: Path = DEFAULT_LEXICON_PATH) -> Lexicon:
    with open(path, encoding="utf-8") as handle:
        return lexicon_from_dict(yaml.safe_load(handle))


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
        for strength in ("strong", "weak"):
            lines = spec["patterns"] if strength == "strong" else spec.get("weak_patterns", [])
            for n, line in enumerate(lines):
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


def compile_pattern(line: str, vocabulary: Set[str], stemmed: bool = True) -> List[Dict[str, Any]]:
    """Compiles one lexicon line into a spaCy Matcher pattern.

    Adds the line's literal words to `vocabulary`, the words spelling repair aims at.
    """
    pattern: List[Dict[str, Any]] = []
    for item in str(line).split():
        gap = _GAP.match(item)
        if gap:
            # Any words but the end of a sentence.
            pattern.append({"TEXT": {"REGEX": _NOT_SENTENCE_END}, "OP": f"{{0,{gap.group(1) or 3}}}"})
        elif item.startswith("/") and item.endswith("/") and len(item) > 2:
            pattern.append({"LOWER": {"REGEX": item[1:-1]}})
        else:
            regex = _alternatives_regex(item, vocabulary, stemmed)
            pattern.append({"NORM": {"REGEX": regex}})
    if not pattern or "OP" in pattern[0] or "OP" in pattern[-1]:
        raise ValueError(f"A pattern must start and end with a word: {line!r}")
    return pattern


def _alternatives_regex(item: str, vocabulary: Set[str], stemmed: bool) -> str:
    choices = []
    for alternative in item.split("|"):
        word = fold(alternative)
        if word.endswith("*"):
            choices.append(re.escape(word[:-1]) + r"\S*")
        else:
            vocabulary.add(word)
            choices.append(re.escape(stem(word) if stemmed else word))
    return r"(?:^| )(?:" + "|".join(choices) + r")(?= |$)"
