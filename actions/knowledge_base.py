"""Loads the reviewed knowledge base (content/knowledge/*.yml, content/aspects.yml) and finds the
entry that answers a question: its subject (a named exam, treatment or symptom, else the
subject of the question's intent) and its aspect (what is asked about the subject: how long,
does it hurt...). An aspect that the article does not cover gets an honest gap, which names
who can answer."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

from content import ASPECTS, KNOWLEDGE_DIR, question_intents, read_yaml

# The question intent that asks about each type of named thing (exam: ask_exams...).
QUESTION_INTENTS = question_intents()

# The subject a follow-up asks about when no earlier answer gave one ("ça se transmet ?").
DEFAULT_SUBJECT = "metastases"
# The intent of a short follow-up about the subject of the previous answer ("et ça fait mal ?").
FOLLOWUP_INTENT = "ask_followup"
# "pourquoi ?" with no alert pending (the safety path answers it during one) is a follow-up.
FOLLOWUP_INTENTS = (FOLLOWUP_INTENT, "ask_why_alert")
SYMPTOMS_INTENT = "ask_symptoms"
ASPECT_ENTITY = "aspect"
# A named exam, treatment or symptom is the subject of a question, whatever its intent, but for
# these intents, whose own subject or type wins over some types: "est-ce que je risque la
# paralysie ?" asks the outlook, "qui appeler en cas de paralysie ?" the emergency numbers, "je
# n'ai pas de faiblesse, quels examens sont prévus ?" the exams.
ENTITY_TYPES_FOR_INTENT = {
    "ask_exams": ("exam",),
    "ask_treatments": ("treatment",),
    "ask_prognosis": ("exam", "treatment"),
    "ask_specialist": ("exam", "treatment"),
    "ask_second_opinion": (),
    "ask_emergency_numbers": (),
    "ask_fracture_prevention": ("treatment",),
    "ask_treatment_decision": ("treatment",),
}
# Intents whose subject answers a comparison: one named treatment gets its own answer, two or
# more ("chirurgie ou radiothérapie, qui décide ?") get the intent's own subject.
SINGLE_ENTITY_INTENTS = {"ask_fracture_prevention", "ask_treatment_decision"}
# At most this many subjects answered in one turn ("scanner ou IRM ?").
MAX_SUBJECTS = 3
# A message this short that asks an aspect and names nothing is about the previous answer's
# subject, whatever intent the model gave it ("combien de temps on le porte ?").
FOLLOW_UP_MAX_WORDS = 8
# A message that goes on from the previous answer with a neutral word pointing back to it ("et
# ça s'annonce comment, il y a des signes avant ?") and names nothing is about its subject, up
# to this length. ("et elles viennent de quels cancers ?" may ask another subject.)
CONTINUATION = re.compile(r"^et (ça|ca|cela|c'|c’)", re.IGNORECASE)
CONTINUATION_MAX_WORDS = 14
NAMED_TYPES = ("exam", "treatment", "symptom")
# "et le scanner ?" right after "l'IRM, c'est remboursé ?" asks the same aspect of another
# subject: a message of "et", the name and these words only ("et la biopsie, c'est quoi ?" asks
# its own question).
SAME_QUESTION_FOR = re.compile(
    r"^\W*(?:(?:ok|okay|d'accord|d’accord|merci|oui|bon|ah)\W+)?et\b", re.I
)
LINKING_WORDS = frozenset(
    ("et", "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "pour", "sur", "avec")
    + ("aussi", "alors", "puis", "ok", "okay", "merci", "oui", "bon", "ah", "accord")
)
# A sentence, with the punctuation that ends it.
SENTENCE = re.compile(r"[^.!?…\n]+(?:[.!?…]+|\n|$)")


@dataclass(frozen=True)
class Source:
    document: str
    section: str
    passage: str


@dataclass(frozen=True)
class Entry:
    id: str
    subject: str
    aspect: str
    title: str
    text: str
    simple: str
    source: Source | None
    related: Tuple[str, ...] = ()

    @property
    def is_gap(self) -> bool:
        """An honest gap: the article says nothing on this aspect of the subject."""
        return self.source is None


@dataclass(frozen=True)
class Subject:
    id: str
    title: str
    expert: str
    intent: str | None
    entity_type: str | None
    entity_value: str | None
    entries: Dict[str, Entry]
    # Aspects that restate the subject ("comment éviter" the prevention of fractures)
    overview_also_answers: Tuple[str, ...] = ()
    # The wider subject it is a kind of (a vertebrectomy is a surgery)
    part_of: str | None = None

    def payload(self, aspect: str) -> str:
        """The message a button sends to ask this aspect of the subject."""
        entities = {ASPECT_ENTITY: aspect}
        if self.entity_type and self.entity_value:
            entities = {self.entity_type: self.entity_value, **entities}
        intent = self.intent or QUESTION_INTENTS[self.entity_type or ""]
        return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"


class KnowledgeBase:
    def __init__(
        self,
        subjects: Iterable[Subject],
        aspects: Dict,
        gaps: Tuple[str, str],
        default: str,
        warning: str,
    ) -> None:
        self.subjects: Dict[str, Subject] = {}
        for subject in subjects:
            if subject.id in self.subjects:
                raise ValueError(f"Duplicate knowledge subject {subject.id}")
            self.subjects[subject.id] = subject
        self.aspects: Dict[str, str] = {name: raw["question"] for name, raw in aspects.items()}
        self._warning_aspects = {name for name, raw in aspects.items() if raw.get("warns")}
        self.default_aspect = default
        self._gap, self._gap_simple = gaps
        self.warning = warning
        self.entries: Dict[str, Entry] = {
            entry.id: entry for s in self.subjects.values() for entry in s.entries.values()
        }
        self._by_intent = {s.intent: s for s in self.subjects.values() if s.intent}
        self._by_entity = {
            (s.entity_type, s.entity_value): s for s in self.subjects.values() if s.entity_type
        }

    @classmethod
    def load(cls, directory: Path = KNOWLEDGE_DIR, aspects: Path = ASPECTS) -> KnowledgeBase:
        subjects = []
        for path in sorted(directory.glob("*.yml")):
            subjects += [_subject(raw) for raw in read_yaml(path)["subjects"]]
        source = read_yaml(aspects)
        return cls(
            subjects,
            source["aspects"],
            (" ".join(source["gap"].split()), " ".join(source["gap_simple"].split())),
            source["default"],
            " ".join(source["warning"].split()),
        )

    def subjects_named(
        self, intent: str | None, entities: Sequence[Dict], follow_up: bool = False
    ) -> List[Subject]:
        """The subjects a message asks about: the exams, treatments or symptoms it names that its
        intent can be about, else the intent's own subject."""
        accepted = ENTITY_TYPES_FOR_INTENT.get(intent or "", NAMED_TYPES)
        asking = _aspects(entities)
        named: List[Subject] = []
        for entity in entities:
            if entity.get("entity") not in accepted:
                continue
            if (
                (follow_up or intent in self._by_intent)
                and intent != SYMPTOMS_INTENT
                and entity.get("entity") == "symptom"
                and any(_overlap(entity, a) for a in asking)
            ):
                # "et ça fait mal ?" after an answer, "la perfusion de Zometa, ça fait mal ?":
                # the aspect asked of the subject, not the symptom
                continue
            subject = self._by_entity.get((entity["entity"], str(entity.get("value", ""))))
            if subject and subject not in named:
                named.append(subject)
        # "opéré, une vertébrectomie" names the surgery and its kind: the kind is the subject
        named = [s for s in named if not any(other.part_of == s.id for other in named)]
        if any(s.entity_type != "symptom" for s in named):
            # "un risque de paralysie avec la chirurgie ?" is about the surgery
            named = [s for s in named if s.entity_type != "symptom"]
        if intent in SINGLE_ENTITY_INTENTS and len(named) > 1:
            named = []
        if named:
            return named[:MAX_SUBJECTS]
        own = self._by_intent.get(intent or "")
        return [own] if own else []

    def reviewed_named(self, entities: Sequence[Dict], aspect: str) -> List[Entry]:
        """The reviewed entries, for this aspect, of the exams, treatments or symptoms a message
        names, whatever its intent: "c'est forcément douloureux ?" taken for an outlook question
        still gets the pain's answer rather than an honest gap."""
        entries = [self.entry(subject, aspect) for subject in self.subjects_named(None, entities)]
        return [entry for entry in entries if not entry.is_gap]

    def within(self, named: List[Subject], current: Subject | None) -> List[Subject]:
        """A follow-up naming the kind of the current subject keeps it ("et l'opération dure
        combien de temps ?" after the vertebrectomy)."""
        if current and [s.id for s in named] == [current.part_of]:
            return [current]
        return named

    def is_follow_up(self, text: str, entities: Sequence[Dict]) -> bool:
        asking = _aspects(entities)
        # "ça fait mal ?" names the aspect it asks, not the symptom
        named = [
            e
            for e in entities
            if e.get("entity") in NAMED_TYPES and not any(_overlap(e, a) for a in asking)
        ]
        if text.startswith("/") or named:
            return False  # a button, or a message naming its own subject
        words = len(text.split())
        if asking and words <= FOLLOW_UP_MAX_WORDS:
            return True
        return bool(CONTINUATION.match(text.strip())) and words <= CONTINUATION_MAX_WORDS

    def aspect_asked(self, entities: Sequence[Dict], text: str = "") -> str:
        """The most specific aspect the message asks (content/aspects.yml's order), or the default.
        In a message that tells its context first, the question's own sentence says what is
        asked: "il rentre à la maison avec un corset. Quel suivi est prévu ?" asks what next."""
        asked = {e.get("value") for e in _in_question_sentence(_aspects(entities), text)}
        return next((name for name in self.aspects if name in asked), self.default_aspect)

    def aspect_carried(self, text: str, entities: Sequence[Dict], previous: str) -> str | None:
        """The previous answer's aspect when the message asks it again of another subject
        ("et le scanner ?", "merci, et l'IRM ?"), else None."""
        if (
            previous == self.default_aspect
            or _aspects(entities)
            or not SAME_QUESTION_FOR.match(text)
        ):
            return None
        rest = text
        for entity in sorted(entities, key=lambda e: -e.get("start", 0)):
            if entity.get("entity") in NAMED_TYPES and "start" in entity and "end" in entity:
                rest = rest[: entity["start"]] + " " + rest[entity["end"] :]
        words = re.findall(r"\w+", rest.lower())
        return previous if words and set(words) <= LINKING_WORDS else None

    def entry(self, subject: Subject, aspect: str) -> Entry:
        """The reviewed entry for this aspect of the subject, or its honest gap."""
        if aspect not in self.aspects or aspect in subject.overview_also_answers:
            aspect = self.default_aspect
        return subject.entries.get(aspect) or self._gap_entry(subject, aspect)

    def cell_ids(self) -> List[str]:
        """Every `subject.aspect` the bot can answer, with a reviewed entry or an honest gap."""
        return [f"{subject}.{aspect}" for subject in self.subjects for aspect in self.aspects]

    def entry_by_id(self, entry_id: str) -> Entry | None:
        """An answered entry, reviewed or gap, from its `subject.aspect` id."""
        subject_id, _, aspect = entry_id.partition(".")
        subject = self.subjects.get(subject_id)
        return self.entry(subject, aspect) if subject and aspect in self.aspects else None

    def next_entries(self, entry: Entry, limit: int = 3) -> List[Entry]:
        """Buttons after an answer: the next aspects of the same subject, then related subjects."""
        subject = self.subjects[entry.subject]
        related = [self.entries[i] for i in entry.related]
        candidates = [e for e in related if e.subject == entry.subject]
        candidates += list(subject.entries.values()) + related
        chosen: List[Entry] = []
        for candidate in candidates:
            if candidate.id != entry.id and candidate not in chosen:
                chosen.append(candidate)
        return chosen[:limit]

    def _gap_entry(self, subject: Subject, aspect: str) -> Entry:
        question = self.aspects[aspect]
        expert = subject.expert[0].upper() + subject.expert[1:]
        text = self._gap.format(
            subject=subject.title,
            question_lower=question[0].lower() + question[1:],
            expert_capitalized=expert,
        )
        simple = self._gap_simple.format(expert_capitalized=expert)
        if aspect in self._warning_aspects or subject.entity_type == "symptom":
            text, simple = f"{text} {self.warning}", f"{simple} {self.warning}"
        related = tuple(subject.entries[a].id for a in list(subject.entries)[:2])
        return Entry(
            id=f"{subject.id}.{aspect}",
            subject=subject.id,
            aspect=aspect,
            title=question,
            text=text,
            simple=simple,
            source=None,
            related=related,
        )


def _aspects(entities: Sequence[Dict]) -> List[Dict]:
    """The entities naming what a message asks about its subject."""
    return [e for e in entities if e.get("entity") == ASPECT_ENTITY]


def _in_question_sentence(entities: List[Dict], text: str) -> List[Dict]:
    """The entities within the message's questions (sentences ending with "?"), else within its
    last sentence, when it has several sentences; all of them otherwise."""
    sentences = [m.span() for m in SENTENCE.finditer(text)]
    if len(sentences) < 2:
        return entities
    questions = [span for span in sentences if text[span[0] : span[1]].rstrip().endswith("?")]
    questions = questions or sentences[-1:]
    return [
        e
        for e in entities
        if any(start <= e.get("start", -1) and e.get("end", 0) <= end for start, end in questions)
    ]


def _overlap(one: Dict, other: Dict) -> bool:
    return one.get("start", 0) < other.get("end", 0) and other.get("start", 0) < one.get("end", 0)


def _subject(raw: Dict) -> Subject:
    asked_by = raw["asked_by"]
    entity = asked_by.get("entity") or {}
    entries = {
        aspect: Entry(
            id=f"{raw['id']}.{aspect}",
            subject=raw["id"],
            aspect=aspect,
            title=body["title"],
            text=" ".join(body["text"].split()),
            simple=" ".join(body["simple"].split()),
            source=Source(**body["source"]),
            related=tuple(body.get("related", [])),
        )
        for aspect, body in raw["entries"].items()
    }
    return Subject(
        id=raw["id"],
        title=raw["title"],
        expert=raw["expert"],
        intent=asked_by.get("intent"),
        entity_type=entity.get("type"),
        entity_value=entity.get("value"),
        entries=entries,
        overview_also_answers=tuple(raw.get("overview_also_answers", [])),
        part_of=raw.get("part_of"),
    )
