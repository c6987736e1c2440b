"""A spaCy Matcher over compiled patterns, one per vocabulary (Rasa's spaCy model and the
tests' may differ), each pattern under its own label."""

from __future__ import annotations

from typing import Any, Dict, List

from spacy.matcher import Matcher
from spacy.tokens import Doc


class PatternMatcher:
    def __init__(self, patterns: Dict[str, List[Dict[str, Any]]]) -> None:
        self.patterns = patterns
        self._matchers: Dict[int, Matcher] = {}

    def __call__(self, doc: Doc, with_alignments: bool = False) -> List[tuple]:
        """(label, start, end[, alignment]) for every match, the label as a string."""
        matcher = self._matchers.get(id(doc.vocab))
        if matcher is None:
            matcher = Matcher(doc.vocab)
            for label, pattern in self.patterns.items():
                matcher.add(label, [pattern])
            self._matchers[id(doc.vocab)] = matcher
        return [
            (doc.vocab.strings[match[0]], *match[1:])
            for match in matcher(doc, with_alignments=with_alignments)
        ]
