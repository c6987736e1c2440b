"""What a message says about the conversation around an alert, from the reviewed cues of
content/safety/conversation_cues.yml: how the writer reacts to an urgent referral, whether the
sign is someone else's, whether a cancer is known, and the language.

None of these raises an alert. The SafetyGuardPolicy reads the reaction only while an alert is
pending, and the others choose the variant of an urgent message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, List, Sequence, Tuple

from assistant.matching.text_normalization import fold
from assistant.safety.lexicon import Lexicon
from assistant.safety.span_index import SpanIndex

PUSHBACK = "pushback"
DELAY = "delay"  # a pushback that puts the call off
ACTED = "acted"
WHY = "why"
CORRECTION = "correction"
CORRECTION_DOUBT = "correction_doubt"
# When several cues are present, the first of these wins: a correction changes what the alert
# is about, a delay keeps the advice even with "j'appelle" ("j'appelle demain matin"), an action
# taken ends the reminders, and "why" is answered before a doubt.
REACTIONS = (CORRECTION, CORRECTION_DOUBT, DELAY, ACTED, WHY, PUSHBACK)
# "Je n'ai pas appelé" is no action taken; a denied correction is none either.
_DENIABLE = frozenset({ACTED, CORRECTION})

RELATIVE = "proche"
CANCER_KNOWN = "oui"
NO_CANCER = "non"
OTHER_LANGUAGE = "en"


@dataclass(frozen=True)
class Cue:
    kind: str
    start: int  # token indices
    end: int


@dataclass(frozen=True)
class ConversationSignals:
    reaction: str | None = None
    writer: str | None = None
    cancer: str | None = None
    language: str | None = None


# How the detector reads a cue in its sentence: its status (current, negated, resolved...),
# and the (start, end) token span of its clause.
StatusOf = Callable[[Cue], str]
ClauseOf = Callable[[int], Tuple[int, int]]


def read_conversation(
    words: Sequence[str],
    cues: Iterable[Cue],
    signs: Sequence[Cue],
    status_of: StatusOf,
    clause_of: ClauseOf,
    lexicon: Lexicon,
) -> ConversationSignals:
    """`words`: the message's tokens; `cues`: the conversation cues found in it; `signs`: the
    warning-sign mentions the writer reports now."""
    found: dict[str, List[Cue]] = {}
    for cue in cues:
        found.setdefault(cue.kind, []).append(cue)
    return ConversationSignals(
        reaction=_reaction(found, words, status_of, lexicon.short_message_words),
        writer=_writer(found, signs, clause_of),
        cancer=_cancer(found.get("cancer", []), status_of),
        language=_language(words, lexicon),
    )


def _reaction(
    found: dict[str, List[Cue]], words: Sequence[str], status_of: StatusOf, short: int
) -> str | None:
    counted = {kind: cues for kind, cues in found.items() if kind in REACTIONS}
    if found.get("why_short") and sum(word.isalnum() for word in words) <= short:
        counted.setdefault(WHY, []).extend(found["why_short"])
    meanwhile = SpanIndex(found.get("not_delay", []))
    counted[DELAY] = [
        c
        for c in counted.get(DELAY, [])
        if not any(True for _ in meanwhile.overlapping(c.start, c.end))
    ]
    for kind in REACTIONS:
        cues = counted.get(kind, [])
        if kind in _DENIABLE:
            cues = [c for c in cues if status_of(c) != "negated"]
        if cues:
            return PUSHBACK if kind == DELAY else kind
    return None


def _writer(found: dict[str, List[Cue]], signs: Sequence[Cue], clause_of: ClauseOf) -> str | None:
    """A relative writes when someone close is named and the signs are told of a third person
    ("mon père ne tient plus debout"), not in the first person ("je m'inquiète, j'ai mal")."""
    if not found.get("relative"):
        return None
    if not signs:
        return RELATIVE

    indices = {kind: SpanIndex(found.get(kind, [])) for kind in ("third_person", "first_person")}

    def in_clause(kind: str, sign: Cue) -> bool:
        return indices[kind].any_inside(clause_of(sign.start))

    told_of_someone_else = any(
        in_clause("third_person", sign) and not in_clause("first_person", sign) for sign in signs
    )
    return RELATIVE if told_of_someone_else else None


def _cancer(mentions: List[Cue], status_of: StatusOf) -> str | None:
    statuses = {status_of(m) for m in mentions}
    if "current" in statuses:
        return CANCER_KNOWN
    if statuses & {"negated", "resolved"}:
        return NO_CANCER
    return None


def _language(words: Sequence[str], lexicon: Lexicon) -> str | None:
    folded = [fold(word) for word in words if word.strip()]
    french = sum(word in lexicon.french_words for word in folded)
    other = max(
        (sum(w in vocabulary for w in folded) for vocabulary in lexicon.language_words.values()),
        default=0,
    )
    return OTHER_LANGUAGE if other >= 2 and other > french else None
