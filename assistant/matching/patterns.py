"""The pattern language of the reviewed lexicons, compiled to spaCy Matcher patterns.

- words are separated by spaces; each word matches its inflections, accent-less and SMS
  spellings and small typos (through the token forms, see `token_forms.py`);
- "a|b|c" is one word with alternatives; "pre*" matches any word starting with "pre";
- "~" lets up to 3 other words in between, "~5" up to 5 (never across a sentence end);
- "/regex/" matches the word's lowercase text with a regular expression.

Each token's candidate forms are written, space-separated, into its NORM attribute, a native
attribute that spaCy's Matcher reads far faster than a custom extension.
"""

from __future__ import annotations

import re
from typing import Any, Dict, FrozenSet, List, Set, Tuple

from assistant.matching.text_normalization import fold, stem

_GAP = re.compile(r"^~(\d*)$")
_WORD_START = r"(?:^| )(?:"
_WORD_END = r")(?= |$)"
_ANY_END = r"\S*"
_UNESCAPED_BAR = re.compile(r"(?<!\\)\|")
_ESCAPE = re.compile(r"\\(.)")
_NOT_SENTENCE_END = r"^[^.!?…\n]+$"


def compile_pattern(line: str, vocabulary: Set[str], stemmed: bool = True) -> List[Dict[str, Any]]:
    """Compiles one lexicon line into a spaCy Matcher pattern.

    Adds the line's literal words to `vocabulary`, the words spelling repair aims at.
    """
    if not isinstance(line, str):
        # YAML reads a bare no, yes, on or off as a boolean: such words must be quoted.
        raise ValueError(f"A pattern must be text (quote YAML's no, yes, on, off): {line!r}")
    pattern: List[Dict[str, Any]] = []
    for item in line.split():
        gap = _GAP.match(item)
        if gap:
            # Any words but the end of a sentence.
            pattern.append(
                {"TEXT": {"REGEX": _NOT_SENTENCE_END}, "OP": f"{{0,{gap.group(1) or 3}}}"}
            )
        elif item.startswith("/") and item.endswith("/") and len(item) > 2:
            pattern.append({"LOWER": {"REGEX": item[1:-1]}})
        else:
            regex = _alternatives_regex(item, vocabulary, stemmed)
            pattern.append({"NORM": {"REGEX": regex}})
    if not pattern or "OP" in pattern[0] or "OP" in pattern[-1]:
        raise ValueError(f"A pattern must start and end with a word: {line!r}")
    return pattern


def gap_elements(pattern: List[Dict[str, Any]]) -> FrozenSet[int]:
    """Indices of the "~" elements of a pattern: the words they take are not the pattern's."""
    return frozenset(i for i, element in enumerate(pattern) if "OP" in element)


def _alternatives_regex(item: str, vocabulary: Set[str], stemmed: bool) -> str:
    choices = []
    for alternative in item.split("|"):
        word = fold(alternative)
        if word.endswith("*"):
            choices.append((word[:-1], True))
        else:
            vocabulary.add(word)
            choices.append((stem(word) if stemmed else word, False))
    return word_regex(choices)


def word_regex(choices: List[Tuple[str, bool]]) -> str:
    """The regex of one word of a pattern over a token's NORM (its forms, space separated):
    one of its forms is one of the words, or starts with one of the prefixes."""
    alternatives = (re.escape(word) + (_ANY_END if prefix else "") for word, prefix in choices)
    return _WORD_START + "|".join(alternatives) + _WORD_END


def word_choices(regex: str) -> List[Tuple[str, bool]] | None:
    """The (word, is a prefix) choices that `word_regex` made `regex` of; None for any other
    regex. The pattern matcher looks a token's forms up in them instead of running the regex."""
    if not (regex.startswith(_WORD_START) and regex.endswith(_WORD_END)):
        return None
    choices = []
    for escaped in _UNESCAPED_BAR.split(regex[len(_WORD_START) : -len(_WORD_END)]):
        prefix = escaped.endswith(_ANY_END)
        word = _ESCAPE.sub(r"\1", escaped[: -len(_ANY_END)] if prefix else escaped)
        choices.append((word, prefix))
    return choices if word_regex(choices) == regex else None
