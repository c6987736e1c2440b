"""Folding, stemming and spelling repair of patient French, so that one lexicon word
matches its inflections, its accent-less and SMS spellings, and small typos."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Dict, Iterable, List, Set

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_LIGATURES = {"œ": "oe", "æ": "ae"}

# Longest first. Stripping stops when the stem would be shorter than three letters.
_SUFFIXES = (
    "issements",
    "issement",
    "issantes",
    "issante",
    "issants",
    "issant",
    "issaient",
    "issions",
    "issait",
    "issais",
    "issons",
    "issez",
    "issent",
    "ements",
    "ement",
    "eraient",
    "erions",
    "erait",
    "erais",
    "aient",
    "ions",
    "ants",
    "ante",
    "antes",
    "ant",
    "ait",
    "ais",
    "ees",
    "ent",
    "ez",
    "ee",
    "es",
    "er",
    "ir",
    "ie",
    "is",
    "it",
    "e",
    "s",
    "x",
)


def fold(text: str) -> str:
    """Lowercase, unify apostrophes and drop accents: 'Lâchent' -> 'lachent'."""
    text = text.lower().translate(_APOSTROPHES)
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A light French stemmer on folded words: 'jambes', 'jambe' -> 'jamb'."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


class SpellingRepair:
    """Maps an unknown word to lexicon words within a small edit distance.

    A symmetric-deletion index keeps the lookup cheap, even for 10,000-character
    messages: only words of five letters or more are repaired, by one edit, or two
    for words of nine letters or more, and never in their first letter, which typing
    rarely gets wrong ("relire" is not "délire").
    """

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._vocabulary: Set[str] = {word for word in vocabulary if len(word) >= 5}
        self._index: Dict[str, Set[str]] = {}
        for word in self._vocabulary:
            for variant in _deletions(word, _max_edits(word)):
                self._index.setdefault(variant, set()).add(word)
        self._repair = lru_cache(maxsize=50_000)(self._uncached_repair)

    def repair(self, word: str) -> List[str]:
        return self._repair(word)

    def _uncached_repair(self, word: str) -> List[str]:
        if len(word) < 5 or word in self._vocabulary or not word.isalpha():
            return []
        edits = _max_edits(word)
        candidates: Set[str] = set()
        for variant in _deletions(word, edits):
            candidates |= self._index.get(variant, set())
        return sorted(
            c
            for c in candidates
            if c[0] == word[0] and _distance(word, c) <= min(edits, _max_edits(c))
        )


def _max_edits(word: str) -> int:
    return 2 if len(word) >= 9 else 1


def _deletions(word: str, edits: int) -> Set[str]:
    variants = {word}
    frontier = {word}
    for _ in range(edits):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        variants |= frontier
    return variants


def _distance(first: str, second: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    rows = len(first) + 1
    cols = len(second) + 1
    table = [[0] * cols for _ in range(rows)]
    for i in range(rows):
        table[i][0] = i
    for j in range(cols):
        table[0][j] = j
    for i in range(1, rows):
        for j in range(1, cols):
            cost = 0 if first[i - 1] == second[j - 1] else 1
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and first[i - 1] == second[j - 2] and first[i - 2] == second[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[-1][-1]
