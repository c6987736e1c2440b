"""Groups patients' messages by similar wording, so that the content team reads one line per
question the bot could not answer, with how often it came, rather than every spelling of it.

A message is reduced to its content words (accents, case, French stop words and short words
dropped, light stemming: "les scintigraphies", "la scintigraphie" -> "scintigraph"); two
messages are similar when the letter trigrams of those words overlap enough (cosine), which
also absorbs typos and SMS spellings. Grouping is greedy and deterministic: the most frequent
wordings first, each joining the most similar group already formed, or starting a new one."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Dict, List, Sequence, Tuple

from spacy.lang.fr.stop_words import STOP_WORDS

from assistant.matching.text_normalization import fold, stem

# Cosine of the trigram counts from which two wordings are one question.
SIMILAR = 0.5
# French stop words, and "qu'" whose apostrophe splits it from its word ("qu'une").
_STOP = frozenset(fold(word) for word in STOP_WORDS) | {"qu"}
_WORD = re.compile(r"[a-z0-9]+")


def content_words(text: str) -> Tuple[str, ...]:
    """The stems of the words that carry the question, sorted: the wording's key."""
    words = _WORD.findall(fold(text))
    kept = sorted({stem(word) for word in words if len(word) > 1 and word not in _STOP})
    # A message of stop words only ("et alors ?") keeps its folded words.
    return tuple(kept) if kept else tuple(sorted(set(words)))


def trigrams(key: Tuple[str, ...]) -> Counter:
    return Counter(
        padded[i : i + 3] for word in key for padded in [f" {word} "] for i in range(len(word))
    )


def norm(grams: Counter) -> float:
    return math.sqrt(sum(count * count for count in grams.values()))


def group_by_wording(texts: Sequence[str], threshold: float = SIMILAR) -> List[List[int]]:
    """The indexes of `texts` in groups of similar wording, the largest group first (then the
    one seen first); within a group, the most frequent wording first."""
    by_key: Dict[Tuple[str, ...], List[int]] = {}
    for index, text in enumerate(texts):
        by_key.setdefault(content_words(text), []).append(index)
    # The most frequent wordings lead the groups they start.
    keys = sorted(by_key, key=lambda key: (-len(by_key[key]), by_key[key][0]))
    groups: List[List[int]] = []
    norms: List[float] = []
    # Trigram -> (group, its count in the group's leading wording): the cosines of a wording
    # with every group are summed over the trigrams they share only.
    postings: Dict[str, List[Tuple[int, int]]] = defaultdict(list)
    for key in keys:
        grams = trigrams(key)
        dots: Dict[int, int] = defaultdict(int)
        for gram, count in grams.items():
            for group, leader_count in postings.get(gram, ()):
                dots[group] += count * leader_count
        size = norm(grams)
        scores = {group: dot / (size * norms[group]) for group, dot in dots.items() if size}
        best = min(scores, key=lambda group: (-scores[group], group), default=None)
        if best is not None and scores[best] >= threshold:
            groups[best].extend(by_key[key])
            continue
        groups.append(list(by_key[key]))
        norms.append(size)
        for gram, count in grams.items():
            postings[gram].append((len(groups) - 1, count))
    return sorted(groups, key=lambda group: (-len(group), min(group)))
