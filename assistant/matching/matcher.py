"""Finds what spaCy's Matcher finds with the compiled patterns, one label per pattern, without
trying every pattern at every token.

A "~" gap ("{0,N}" in spaCy) is compiled by spaCy into N optional elements, whose paths
multiply on texts dense in the patterns' words: a 2,000-character message could take seconds.
Each pattern is therefore matched as its alternatives with a fixed number of words in each gap
(single-token elements whose alignment is known in advance), and the matches of one pattern's
alternatives are put together as spaCy reports one match: each token aligned with the largest
pattern element any alternative gives it.

spaCy's Matcher also tries each of the thousands of alternatives at each token, running its
first element's regex: that was a fifth of a server's CPU per message. Here each token's forms
(its NORM) are looked up in an index of the patterns' words and prefixes, and only the
alternatives whose first element the token satisfies are tried. Elements that are no word of
`patterns.word_regex` (a gap, a /regex/) run their regex, once per token.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from typing import Any, Dict, List, Set, Tuple

from spacy.tokens import Doc, Token

from assistant.matching.patterns import word_choices

_RANGE = re.compile(r"^\{(\d+),(\d+)\}$")
# the token attribute each pattern key reads, as spaCy's Matcher reads it
_ATTRIBUTES = {"TEXT": "text", "ORTH": "orth_", "LOWER": "lower_", "NORM": "norm_"}

Pattern = List[Dict[str, Any]]


def alternatives(pattern: Pattern) -> List[Tuple[Pattern, List[int]]]:
    """The pattern's alternatives, each with the index of the pattern element behind each of
    its elements: a gap of {min,max} words becomes each exact count in turn."""
    choices: List[List[Tuple[Pattern, List[int]]]] = []
    for index, element in enumerate(pattern):
        gap = _RANGE.match(str(element.get("OP", "")))
        if gap is None:
            choices.append([([element], [index])])
            continue
        word = {key: value for key, value in element.items() if key != "OP"}
        low, high = int(gap.group(1)), int(gap.group(2))
        choices.append([([word] * count, [index] * count) for count in range(low, high + 1)])
    expanded = []
    for combination in itertools.product(*choices):
        elements = [element for part, _ in combination for element in part]
        aligned = [index for _, indices in combination for index in indices]
        expanded.append((elements, aligned))
    return expanded


class _ElementIndex:
    """Numbers the distinct pattern elements, and tells which of them each token satisfies."""

    def __init__(self) -> None:
        self._ids: Dict[str, int] = {}
        self._words: Dict[str, List[int]] = defaultdict(list)
        self._prefixes: Dict[str, List[int]] = defaultdict(list)
        self._longest_prefix = -1
        self._regexes: List[Tuple[int, str, re.Pattern]] = []

    def add(self, element: Dict[str, Any]) -> int:
        (key, value), *others = element.items()
        regex = value.get("REGEX") if isinstance(value, dict) else None
        if others or key not in _ATTRIBUTES or not isinstance(regex, str) or len(value) != 1:
            raise ValueError(f"Not a single-token regex element: {element!r}")
        identity = f"{key}\x1f{regex}"
        if identity in self._ids:
            return self._ids[identity]
        number = self._ids[identity] = len(self._ids)
        choices = word_choices(regex) if key == "NORM" else None
        if choices is None:
            self._regexes.append((number, _ATTRIBUTES[key], re.compile(regex)))
            return number
        for word, prefix in choices:
            if prefix:
                self._prefixes[word].append(number)
                self._longest_prefix = max(self._longest_prefix, len(word))
            else:
                self._words[word].append(number)
        return number

    def satisfied(self, token: Token) -> Set[int]:
        """The elements whose regex spaCy's Matcher would find in this token."""
        found: Set[int] = set()
        norm = token.norm_
        forms = norm.split(" ")
        if norm.endswith("\n"):  # "$" also matches before a final newline
            forms.append(forms[-1][:-1])
        for form in forms:
            found.update(self._words.get(form, ()))
            for length in range(min(len(form), self._longest_prefix) + 1):
                numbers = self._prefixes.get(form[:length])
                if numbers and not any(c.isspace() for c in form[length:]):
                    found.update(numbers)
        for number, attribute, regex in self._regexes:
            if regex.search(getattr(token, attribute)):
                found.add(number)
        return found


class PatternMatcher:
    def __init__(self, patterns: Dict[str, Pattern]) -> None:
        self.patterns = patterns
        self._elements = _ElementIndex()
        # first element -> (the other elements, label, alignment) of each alternative
        self._by_first: Dict[int, List[Tuple[Tuple[int, ...], str, List[int]]]] = defaultdict(list)
        for label, pattern in patterns.items():
            for elements, aligned in alternatives(pattern):
                numbers = tuple(self._elements.add(element) for element in elements)
                self._by_first[numbers[0]].append((numbers[1:], label, aligned))

    def __call__(self, doc: Doc, with_alignments: bool = False) -> List[tuple]:
        """(label, start, end[, alignment]) for every match, the label as a string; the
        alignment gives each matched token the index of its pattern element."""
        satisfied = [self._elements.satisfied(token) for token in doc]
        found: Dict[Tuple[str, int, int], List[int]] = {}
        for start, firsts in enumerate(satisfied):
            for first in firsts:
                for rest, label, aligned in self._by_first.get(first, ()):
                    end = start + 1 + len(rest)
                    if end > len(doc) or not all(
                        number in satisfied[start + 1 + k] for k, number in enumerate(rest)
                    ):
                        continue
                    merged = found.setdefault((label, start, end), list(aligned))
                    for i, index in enumerate(aligned):
                        merged[i] = max(merged[i], index)
        return [
            (label, start, end, aligned) if with_alignments else (label, start, end)
            for (label, start, end), aligned in sorted(found.items())
        ]
