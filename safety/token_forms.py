"""Annotates each spaCy token with the forms the lexicon patterns match against: its folded
text and lemma, SMS expansions, a dropped elision ("jarrive" -> "arrive"), spelling repairs
towards lexicon words, and the stems of all of these. They go into the token's NORM, space
separated: the detector runs last in the pipeline, after every component that reads NORM."""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, List, Set

from spacy.tokens import Doc

from safety.text_normalization import SpellingRepair, fold, stem

_ELIDED_PREFIXES = ("qu", "j", "m", "t", "n", "l", "s", "d", "c")


class TokenFormsAnnotator:
    def __init__(self, vocabulary: Set[str], sms: Dict[str, List[str]]) -> None:
        self._vocabulary = vocabulary
        self._stems = {stem(word) for word in vocabulary}
        self._sms = sms
        self._repair = SpellingRepair(vocabulary)

    def annotate(self, doc: Doc) -> None:
        for token in doc:
            token.norm_ = self.forms_string(token.text, token.lemma_)

    @lru_cache(maxsize=50_000)
    def forms_string(self, text: str, lemma: str) -> str:
        folded = fold(text)
        words = {folded, fold(lemma or text)}
        words.update(self._sms.get(folded, ()))
        words.update(self._without_elision(folded))
        # A word the lemmatizer knows ("vient" -> "venir") is no typo; an unknown one
        # lemmatizes to itself.
        if fold(lemma or text) == folded and not any(self._known(w) for w in words):
            words.update(self._repair.repair(folded))
        forms = words | {stem(word) for word in words}
        return " " + " ".join(sorted(forms)) + " "

    def _known(self, word: str) -> bool:
        return word in self._vocabulary or stem(word) in self._stems

    def _without_elision(self, word: str) -> List[str]:
        """'jarrive' -> 'arrive' and 'mempeche' -> 'empeche', when the rest is a lexicon word."""
        rests = []
        for prefix in _ELIDED_PREFIXES:
            rest = word[len(prefix):]
            if word.startswith(prefix) and len(rest) >= 4 and self._known(rest):
                rests.append(rest)
        return rests
