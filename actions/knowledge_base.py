"""Loads the reviewed knowledge base (content/knowledge/*.yml) and finds the entry that
answers a question: the entry for a named exam, treatment or symptom, else the overview
entry of the question's intent."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import yaml

from content import KNOWLEDGE_DIR, question_intents

# The question intent a button asks again for an entity of this type.
INTENT_FOR_ENTITY_TYPE = question_intents()
# The named things a question can be about. Other intents answer with their overview, even
# when the message names something ("est-ce que je risque la paralysie ?" names a symptom).
ENTITY_TYPES_FOR_INTENT = {
    **{intent: (entity_type,) for entity_type, intent in INTENT_FOR_ENTITY_TYPE.items()},
    # "c'est quoi une cimentoplastie ?" reads like a definition question.
    "ask_what_are_metastases": tuple(INTENT_FOR_ENTITY_TYPE),
    # "dois-je porter un corset ?", "pourquoi me propose-t-on une radiothérapie ?"
    "ask_fracture_prevention": ("treatment",),
    "ask_treatment_decision": ("treatment",),
}
# Intents whose overview answers a comparison: one named treatment gets its own answer, two
# or more ("chirurgie ou radiothérapie, qui décide ?") get the overview.
SINGLE_ENTITY_INTENTS = {"ask_fracture_prevention", "ask_treatment_decision"}


@dataclass(frozen=True)
class Source:
    document: str
    section: str
    passage: str


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    text: str
    source: Source
    related: Tuple[str, ...]
    intent: str | None = None
    entity_type: str | None = None
    entity_value: str | None = None

    @property
    def payload(self) -> str:
        """The message a button sends to ask for this entry."""
        if self.entity_type:
            entities = json.dumps({self.entity_type: self.entity_value})
            return f"/{INTENT_FOR_ENTITY_TYPE[self.entity_type]}{entities}"
        return f"/{self.intent}"


class KnowledgeBase:
    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: Dict[str, Entry] = {}
        for entry in entries:
            if entry.id in self.entries:
                raise ValueError(f"Duplicate knowledge entry {entry.id}")
            self.entries[entry.id] = entry
        self._by_intent = {e.intent: e for e in self.entries.values() if e.intent}
        self._by_entity = {
            (e.entity_type, e.entity_value): e for e in self.entries.values() if e.entity_type
        }

    @classmethod
    def load(cls, directory: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
        entries = []
        for path in sorted(directory.glob("*.yml")):
            with open(path, encoding="utf-8") as handle:
                entries += [_entry(raw) for raw in yaml.safe_load(handle)["entries"]]
        return cls(entries)

    def for_intent(self, intent: str | None) -> Entry | None:
        return self._by_intent.get(intent) if intent else None

    def for_entity(self, entity_type: str, value: str) -> Entry | None:
        return self._by_entity.get((entity_type, value))

    def answers_for(self, intent: str | None, entities: List[Dict]) -> List[Entry]:
        """The entries that answer a message: one per exam, treatment or symptom it names
        that its intent can be about (at most three), or else the overview of its intent."""
        named: List[Entry] = []
        accepted = ENTITY_TYPES_FOR_INTENT.get(intent or "", ())
        for entity in entities:
            if entity.get("entity") not in accepted:
                continue
            entry = self.for_entity(entity["entity"], str(entity.get("value", "")))
            if entry and entry not in named:
                named.append(entry)
        if intent in SINGLE_ENTITY_INTENTS and len(named) > 1:
            named = []
        if named:
            return named[:3]
        overview = self.for_intent(intent)
        return [overview] if overview else []

    def related(self, entry: Entry) -> List[Entry]:
        return [self.entries[i] for i in entry.related]


def _entry(raw: Dict) -> Entry:
    answers = raw["answers"]
    entity = answers.get("entity") or {}
    return Entry(
        id=raw["id"],
        title=raw["title"],
        text=" ".join(raw["text"].split()),
        source=Source(**raw["source"]),
        related=tuple(raw.get("related", [])),
        intent=answers.get("intent"),
        entity_type=entity.get("type"),
        entity_value=entity.get("value"),
    )
