"""The deterministic warning-sign detector.

It finds lexicon mentions in a spaCy `Doc`, then decides for each one whether the writer
reports it now (for themself or a relative), or denies it, asks about it, or tells of a
past or someone else's past. Over-triage is acceptable and under-triage is not: a mention
counts unless a cue clearly says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Dict, FrozenSet, Iterable, List, Set, Tuple

from spacy.tokens import Doc, Token

from assistant.matching.matcher import PatternMatcher
from assistant.matching.token_forms import TokenFormsAnnotator
from assistant.safety.conversation_signals import ConversationSignals, Cue, read_conversation
from assistant.safety.levels import URGENT_LEVELS, VERIFY
from assistant.safety.lexicon import Lexicon
from assistant.safety.span_index import SpanIndex, TokenCounts

CURRENT = "current"
NEGATED = "negated"
HYPOTHETICAL = "hypothetical"
GENERAL = "general"  # named in a question about the disease in general
RESOLVED = "resolved"
HISTORY = "history"
# A sign downgraded to 'verify' because the message names a likely other cause of it
# ("depuis la chimio" for tingling fingers): the learned layer does not raise it again.
OTHER_CAUSE = "other_cause"
NOT_HUMAN = "not_human"  # an animal's or a fiction's

# Cues that make a mention something other than a current sign.
DISCOUNTING_CUES = frozenset(
    {
        "negation",
        "hypothetical",
        "resolved",
        "distant_past",
        "death",
        "past_perfect",
        "managed",
        "exclusions",
        "animal_fiction",
    }
)

_NEGATION_WINDOW = 5
_ARTICLES = {"du", "des", "au", "aux"}  # the tagger calls them prepositions
# Words that may come with a bare denial: "non, pas du tout", "aucune vraiment".
_DENIAL_FILLERS = {"du", "tout", "vraiment", "absolument", "franchement", "pas", "merci"}
_SENTENCE_ENDS = {".", "!", "?", ";", "\n", "…"}
_CLAUSE_ENDS = _SENTENCE_ENDS | {",", ":", "(", ")", "–"}
_CLAUSE_WORDS = {
    "mais",
    "car",
    "parce",
    "puisque",
    "donc",
    "cependant",
    "pourtant",
    "sauf",
    "alors",
    "mé",
}
# "et que", "et si": the same supposition goes on ("si je tombe et que je ne peux plus ...").
_NOT_A_NEW_CLAUSE_AFTER_ET = {
    "de",
    "d'",
    "des",
    "du",
    "pas",
    "ni",
    "a",
    "à",
    "aux",
    "au",
    "que",
    "qu'",
    "si",
    "s'",
}
_NE = {"ne", "n'", "n"}
_VERBS = {"VERB", "AUX"}


@dataclass(frozen=True)
class Finding:
    category: str
    level: str
    role: str
    intent: str
    status: str
    start_char: int
    end_char: int
    text: str
    source: str = "lexicon"  # or "nlu", for the second layer, or OTHER_CAUSE


@dataclass(frozen=True)
class Analysis:
    findings: List[Finding]
    cues: FrozenSet[str]  # the kinds of discounting cue the message holds (DISCOUNTING_CUES)
    now: bool = False  # the message anchors something in the present ("depuis", "ce matin")
    # A question with nobody and no time in the whole message ("et ça fait mal ?"), or one
    # about a treatment, an exam or a drug with no time in it ("il doit porter le corset même
    # pour dormir ?")
    general_question: bool = False
    conversation: ConversationSignals = ConversationSignals()


@dataclass(frozen=True)
class _Match:
    label: str
    start: int
    end: int
    # Tokens matched by the pattern's own words, not by its "~" gaps.
    explicit: FrozenSet[int]

    @property
    def kind(self) -> str:
        return self.label.split(":")[1]

    @property
    def weak(self) -> bool:
        return self.label.split(":")[2] == "weak"

    @property
    def term(self) -> bool:
        return self.label.split(":")[2] == "term"

    def overlaps(self, other: _Match) -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def reach(self) -> Tuple[int, int]:
        """The tokens a cue must share with the mention to be held by it."""
        if not self.explicit:
            return (self.start, self.start)
        return (min(self.explicit), max(self.explicit) + 1)

    def holds(self, cue: _Match) -> bool:
        """The cue is part of how the sign is said ("je ne peux PLUS marcher")."""
        return any(i in self.explicit for i in range(cue.start, cue.end))


class RedFlagDetector:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._annotator = TokenFormsAnnotator(lexicon.vocabulary, lexicon.sms)
        self._matcher = PatternMatcher(lexicon.patterns)

    def analyse(self, doc: Doc) -> Analysis:
        """All warning-sign mentions in `doc`, with their status."""
        self._annotator.annotate(doc)
        matches = self._matches(doc)
        context = [m for m in matches if m.label.startswith("context:")]
        exclusions = [m for m in context if m.kind == "exclusions"]
        mentions = [
            m
            for m in matches
            if m.label.startswith("category:") and not any(e.overlaps(m) for e in exclusions)
        ]
        reading = _Reading(doc, context)
        kept = self._without_yielding(_longest_per_category(mentions))
        findings = [self._finding(doc, m, reading.status(m)) for m in kept]
        findings = self._apply_weak_signs_and_context(doc, findings, kept)
        conversation = self._conversation(doc, matches, reading, findings, kept)
        return Analysis(
            findings,
            reading.kinds & DISCOUNTING_CUES,
            now="current" in reading.kinds,
            general_question=reading.asks_without_anyone(),
            conversation=conversation,
        )

    def _conversation(
        self,
        doc: Doc,
        matches: List[_Match],
        reading: _Reading,
        findings: List[Finding],
        mentions: List[_Match],
    ) -> ConversationSignals:
        cues = {
            Cue(m.kind, m.start, m.end): m for m in matches if m.label.startswith("conversation:")
        }
        signs = [
            Cue(m.kind, m.start, m.end)
            for m, f in zip(mentions, findings, strict=True)
            if f.status == CURRENT
        ]
        return read_conversation(
            [token.text for token in doc],
            cues,
            signs,
            lambda cue: reading.status(cues[cue]),
            reading.clause_bounds,
            self.lexicon,
        )

    def _matches(self, doc: Doc) -> List[_Match]:
        matches = []
        for label, start, end, alignment in self._matcher(doc, with_alignments=True):
            gaps = self.lexicon.gap_elements(label)
            explicit = frozenset(
                start + k for k, element in enumerate(alignment) if element not in gaps
            )
            matches.append(_Match(label, start, end, explicit))
        return matches

    def _without_yielding(self, mentions: List[_Match]) -> List[_Match]:
        """Drops a mention held inside one of a category it yields to ("doigts engourdis"
        is a mention of tingling fingers, not of numbness in general)."""
        index = SpanIndex(mentions)
        return [
            m
            for m in mentions
            if not any(
                o.kind in self.lexicon.categories[m.kind].yields_to and m.end <= o.end
                for o in index.overlapping(m.start, m.start + 1)
                if o.start <= m.start
            )
        ]

    def _finding(self, doc: Doc, mention: _Match, status: str) -> Finding:
        category = self.lexicon.categories[mention.kind]
        span = doc[mention.start : mention.end]
        return Finding(
            category=category.name,
            level=category.level,
            role=category.role,
            intent=category.intent,
            status=status,
            start_char=span.start_char,
            end_char=span.end_char,
            text=span.text,
        )

    def _apply_weak_signs_and_context(
        self, doc: Doc, findings: List[Finding], mentions: List[_Match]
    ) -> List[Finding]:
        """Downgrades to 'verify' a category seen only through one weak sign, or in a
        context that has other likely causes (chemotherapy for tingling fingers)."""
        current_weak: Dict[str, int] = {}
        strong: Set[str] = set()
        for finding, mention in zip(findings, mentions, strict=True):
            if finding.status != CURRENT:
                continue
            if mention.weak:
                current_weak[mention.kind] = current_weak.get(mention.kind, 0) + 1
            else:
                strong.add(mention.kind)
        message_forms = " ".join(token.norm_ for token in doc)
        in_other_context: Dict[str, bool] = {}
        adjusted = []
        for finding in findings:
            category = self.lexicon.categories[finding.category]
            lonely_weak = finding.category not in strong and current_weak.get(finding.category) == 1
            if category.name not in in_other_context:
                in_other_context[category.name] = _mentions_any(
                    message_forms, category.verify_if_context
                )
            downgrade = (
                finding.status == CURRENT
                and finding.level in URGENT_LEVELS
                and (lonely_weak or in_other_context[category.name])
            )
            if downgrade and not lonely_weak:
                finding = replace(finding, level=VERIFY, source=OTHER_CAUSE)
            elif downgrade:
                finding = replace(finding, level=VERIFY)
            adjusted.append(finding)
        return adjusted


class _Reading:
    """Where the clauses and sentences of a message are, and which cues they hold."""

    def __init__(self, doc: Doc, context: List[_Match]) -> None:
        self._doc = doc
        self._cues: Dict[str, List[_Match]] = {}
        for match in context:
            self._cues.setdefault(match.kind, []).append(match)
        self._neutralise("negation", "not_negation")
        self._neutralise("hypothetical", "hypothetical_exceptions")
        self._neutralise("resolved", "not_resolved")
        self._neutralise("personal", "not_personal")
        self._neutralise("continuing", "resolved")
        self._neutralise("distant_past", "not_distant_past")
        self._neutralise("current", "not_current")
        # "disparu depuis", "décédée depuis": the time is the end's, not the sign's.
        ended = SpanIndex(
            [c for k in ("resolved", "death", "distant_past") for c in self._cues.get(k, [])]
        )
        self._cues["current"] = [
            cue
            for cue in self._cues.get("current", [])
            if not any(True for _ in ended.ending_near(cue.start - 2, cue.start))
        ]
        self._index = {kind: SpanIndex(cues) for kind, cues in self._cues.items()}
        self._clause_of, self._sentence_of = _segment(doc)
        self._denied_after = self._denial_tails()
        self._whole = (0, len(doc))
        self._questions = TokenCounts([token.text == "?" for token in doc])
        self._verbs = TokenCounts([token.pos_ in _VERBS for token in doc])
        self._past = TokenCounts(
            [
                "Past" in token.morph.get("Tense", []) or "Imp" in token.morph.get("Tense", [])
                for token in doc
            ]
        )
        self.kinds = frozenset(kind for kind, cues in self._cues.items() if cues)

    def _neutralise(self, kind: str, by: str) -> None:
        blockers = SpanIndex(self._cues.get(by, []))
        self._cues[kind] = [
            c
            for c in self._cues.get(kind, [])
            if not any(True for _ in blockers.overlapping(c.start, c.end))
        ]

    def _cues_of(self, kind: str) -> SpanIndex[_Match]:
        return self._index.get(kind) or SpanIndex([])

    def _denial_tails(self) -> Set[int]:
        """The ends of the clauses followed, up to their sentence's end, by a bare denial: the
        answer to what the clause asked ("... des décharges en baissant la tête : non, aucune")."""
        negation_tokens = {
            i for cue in self._cues.get("negation", []) for i in range(cue.start, cue.end)
        }
        denied: Set[int] = set()
        tail_is_denial, tail_denies = True, False
        for i in range(len(self._doc) - 1, -1, -1):
            if self._sentence_of[i][1] == i + 1:  # the last token of a sentence
                tail_is_denial, tail_denies = True, False
            if self._clause_of[i][1] == i + 1 and tail_is_denial and tail_denies:
                denied.add(i + 1)
            token = self._doc[i]
            if i in negation_tokens:
                tail_denies = True
            elif token.text == "?" or not (token.is_punct or token.lower_ in _DENIAL_FILLERS):
                # "mes jambes lâchent, non ?" asks for agreement
                tail_is_denial = False
        return denied

    def clause_bounds(self, token: int) -> Tuple[int, int]:
        return self._clause_of[token]

    def status(self, mention: _Match) -> str:
        clause = self._clause_of[mention.start]
        sentence = self._sentence_of[mention.start]
        if self._negated(mention, clause) or clause[1] in self._denied_after:
            return NEGATED
        if self._not_human(clause, sentence, mention):
            return NOT_HUMAN
        now = self._has("current", clause, mention)
        # A clause without a verb ("Une compression médullaire, ça arrive souvent ?")
        # takes its meaning from the rest of the sentence.
        question_scope = clause if self._has_verb(clause) else sentence
        if not now and self._has("hypothetical", question_scope):
            return HYPOTHETICAL
        if not now and (
            self._general_question(sentence, mention)
            or self._information_question(clause, sentence, mention)
        ):
            return GENERAL
        if now or self._has("continuing", clause, mention):
            return CURRENT
        if any(True for _ in self._cues_of("managed").overlapping(*mention.reach)):
            return HISTORY  # "pourquoi un corset après mon tassement ?": a known condition
        if self._has("resolved", clause, mention) or self._has("distant_past", clause, mention):
            return RESOLVED
        if self._past_tense(clause) and (
            self._has("resolved", sentence, mention) or self._has("distant_past", sentence, mention)
        ):
            return RESOLVED
        if self._someone_elses_past(sentence, mention):
            return HISTORY
        if self._has("past_perfect", clause, mention):
            return RESOLVED  # "j'avais eu les jambes engourdies": an episode that is over
        return CURRENT

    def _general_question(self, sentence: Tuple[int, int], mention: _Match) -> bool:
        """A question about the disease in general: nobody and no time in the message, and
        no worry about one's state unless the question names a condition. A question mark
        alone makes a question of a condition's name, not of a described sign ("Vertèbre
        cassée après une chute ?" is a report)."""
        question = self._has("interrogative", sentence) or (
            mention.term and self._questions.any_in(*sentence)
        )
        return (
            question
            and not self._has("personal", self._whole)
            and not self._has("current", self._whole)
            and (mention.term or self._has("why", sentence) or not self._has("concern", sentence))
        )

    def _information_question(
        self, clause: Tuple[int, int], sentence: Tuple[int, int], mention: _Match
    ) -> bool:
        """A question about a treatment, an exam or a drug, with nobody in the sign's clause
        ("la morphine rend somnolent ?", "la cimentoplastie ça fait mal ? on est endormi ?"), or
        one asking what a condition's name means."""
        if mention.term and (
            self._has("definition_question", sentence, mention)
            or (self._is_question(sentence) and self._has("definition_question", self._whole))
        ):
            # "mon médecin a parlé de compression médullaire, c'est quoi ?", "compression de la
            # moelle ?? expliquez moi"
            return True
        return (
            self._is_question(sentence)
            and (self._has("info_topic", self._whole, mention) or self._names_topic(mention))
            and not self._has("personal", clause, mention)
            and not self._has("current", sentence, mention)
        )

    def _names_topic(self, mention: _Match) -> bool:
        """Whether the mention holds a treatment, drug or exam named with its article ("le
        paracétamol suffit ou pas ?"), not a state ("les fesses comme anesthésiées")."""
        return any(
            mention.holds(cue) and cue.start > 0 and _is_article(self._doc[cue.start - 1])
            for cue in self._cues_of("info_topic").overlapping(*mention.reach)
        )

    def asks_without_anyone(self) -> bool:
        return (
            self._is_question(self._whole)
            and (not self._has("personal", self._whole) or self._has("info_topic", self._whole))
            and not self._has("current", self._whole)
        )

    def _is_question(self, sentence: Tuple[int, int]) -> bool:
        return self._has("interrogative", sentence) or self._questions.any_in(*sentence)

    def _not_human(
        self, clause: Tuple[int, int], sentence: Tuple[int, int], mention: _Match
    ) -> bool:
        """Told of an animal or in a fiction named before it in its sentence, with the writer
        not named between them ("ma chienne est paralysée", "j'ai lu un roman où l'héroïne
        devenait paraplégique"; but "ma mère ne peut plus se redresser depuis qu'elle a porté son
        chat", "je ne sens plus mes jambes depuis que je promène le chien" and "mon chat m'a
        griffé et depuis je ne sens plus ma jambe" are people's)."""
        # The later a cue ends, the fewer words lie between it and the mention: the latest
        # one answers for all.
        latest = self._cues_of("animal_fiction").latest_end(
            sentence[0], mention.start, mention.holds
        )
        return latest >= 0 and not self._has("first_person", (latest, mention.start))

    def _someone_elses_past(self, sentence: Tuple[int, int], mention: _Match) -> bool:
        if not self._has("third_person", sentence, mention) or self._has(
            "current", sentence, mention
        ):
            return False
        return any(
            self._has(kind, sentence, mention)
            for kind in ("distant_past", "death", "resolved", "past_perfect")
        ) or self._has("hypothetical", self._whole)

    def _negated(self, mention: _Match, clause: Tuple[int, int]) -> bool:
        # Only a cue ending at most _NEGATION_WINDOW tokens before the mention, or starting
        # in it or right after it, can deny it.
        near = self._cues_of("negation").ending_near(
            mention.start - _NEGATION_WINDOW, len(self._doc)
        )
        for cue in near:
            if cue.start > mention.end + 1:
                break
            if not _inside(cue, clause) or mention.holds(cue):
                continue
            inside = mention.start <= cue.start and cue.end <= mention.end
            before = cue.end <= mention.start and mention.start - cue.end <= _NEGATION_WINDOW
            # "mes jambes ne lâchent pas": a "ne" before, the cue right after the mention.
            after = (
                cue.start >= mention.end
                and cue.start - mention.end <= 1
                and self._has_ne(mention.start - 2, mention.end)
            )
            if inside or before or after:
                return True
        return False

    def _has_ne(self, start: int, end: int) -> bool:
        return any(token.lower_ in _NE for token in self._doc[max(start, 0) : end])

    def _has_verb(self, scope: Tuple[int, int]) -> bool:
        return self._verbs.any_in(*scope)

    def _has(self, kind: str, scope: Tuple[int, int], mention: _Match | None = None) -> bool:
        """Whether a cue of `kind` lies in `scope` and is not part of the mention itself."""
        return self._cues_of(kind).any_inside(scope, mention.holds if mention else None)

    def _past_tense(self, clause: Tuple[int, int]) -> bool:
        return self._has("past_tense", clause) or self._past.any_in(*clause)


def _segment(doc: Doc) -> Tuple[List[Tuple[int, int]], List[Tuple[int, int]]]:
    """For each token index, the (start, end) of its clause and of its sentence."""
    clause_starts = {0}
    sentence_starts = {0}
    for token in doc:
        text = token.text.strip().lower()
        if "\n" in token.text or text in _SENTENCE_ENDS:
            sentence_starts.add(token.i + 1)
            clause_starts.add(token.i + 1)
        elif text in _CLAUSE_ENDS:
            clause_starts.add(token.i + 1)
        elif text in _CLAUSE_WORDS or (
            text == "et"
            and token.i + 1 < len(doc)
            and doc[token.i + 1].lower_ not in _NOT_A_NEW_CLAUSE_AFTER_ET
        ):
            clause_starts.add(token.i)
    return _bounds(clause_starts, len(doc)), _bounds(sentence_starts, len(doc))


def _bounds(starts: Set[int], length: int) -> List[Tuple[int, int]]:
    edges = sorted(s for s in starts if s < length) + [length]
    bounds: List[Tuple[int, int]] = []
    for first, last in zip(edges, edges[1:], strict=False):
        bounds.extend([(first, last)] * (last - first))
    return bounds


def _is_article(token: Token) -> bool:
    return token.pos_ == "DET" or token.lower_ in _ARTICLES


def _inside(match: _Match, scope: Tuple[int, int]) -> bool:
    return scope[0] <= match.start and match.end <= scope[1]


def _longest_per_category(mentions: List[_Match]) -> List[_Match]:
    """One mention per category and place: the longest of overlapping ones, holding the
    words that any of them matched explicitly."""
    chosen: List[_Match] = []
    # Chosen mentions of one category never overlap and come in order: only the last one of
    # a category can overlap the next mention.
    last_of: Dict[str, int] = {}
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        position = last_of.get(mention.kind)
        if position is None or not chosen[position].overlaps(mention):
            if mention.start < mention.end:
                last_of[mention.kind] = len(chosen)
            chosen.append(mention)
        else:
            same = chosen[position]
            chosen[position] = replace(same, explicit=same.explicit | mention.explicit)
    return chosen


def _mentions_any(message_forms: str, words: Iterable[str]) -> bool:
    return any(_needle(word) in message_forms for word in words)


@cache
def _needle(word: str) -> str:
    return " " + word[:-1] if word.endswith("*") else " " + word + " "
