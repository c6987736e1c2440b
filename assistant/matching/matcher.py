"""A spaCy Matcher over compiled patterns, one per vocabulary (Rasa's spaCy model and the
tests' may differ), each pattern under its own label.

A "~" gap ("{0,N}" in spaCy) is compiled by spaCy into N optional elements, whose paths
multiply on texts dense in the patterns' words: a 2,000-character message could take seconds.
Each pattern is therefore matched as its alternatives with a fixed number of words in each gap
(one spaCy pattern of single-token elements each, whose alignment is known in advance), and
the matches of one pattern's alternatives are put together as spaCy reports one match: each
token aligned with the largest pattern element any alternative gives it.
"""

from __future__ import annotations

import itertools
import re
from typing import Any, Dict, List, Tuple

from spacy.matcher import Matcher
from spacy.tokens import Doc

_RANGE = re.compile(r"^\{(\d+),(\d+)\}$")
# Between a label and the number of one of its alternatives: never in a label.
_SEPARATOR = "\x1f"

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


class PatternMatcher:
    def __init__(self, patterns: Dict[str, Pattern]) -> None:
        self.patterns = patterns
        self._matchers: Dict[int, Matcher] = {}
        self._alignments: Dict[str, Tuple[str, List[int]]] = {}
        for label, pattern in patterns.items():
            for n, (_, aligned) in enumerate(alternatives(pattern)):
                self._alignments[f"{label}{_SEPARATOR}{n}"] = (label, aligned)

    def _matcher(self, doc: Doc) -> Matcher:
        matcher = self._matchers.get(id(doc.vocab))
        if matcher is None:
            matcher = Matcher(doc.vocab)
            for label, pattern in self.patterns.items():
                for n, (elements, _) in enumerate(alternatives(pattern)):
                    matcher.add(f"{label}{_SEPARATOR}{n}", [elements])
            self._matchers[id(doc.vocab)] = matcher
        return matcher

    def __call__(self, doc: Doc, with_alignments: bool = False) -> List[tuple]:
        """(label, start, end[, alignment]) for every match, the label as a string; the
        alignment gives each matched token the index of its pattern element."""
        found: Dict[Tuple[str, int, int], List[int]] = {}
        for key, start, end in self._matcher(doc)(doc):
            label, aligned = self._alignments[doc.vocab.strings[key]]
            merged = found.setdefault((label, start, end), list(aligned))
            for i, index in enumerate(aligned):
                merged[i] = max(merged[i], index)
        return [
            (label, start, end, aligned) if with_alignments else (label, start, end)
            for (label, start, end), aligned in found.items()
        ]
