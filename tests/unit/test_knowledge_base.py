"""The reviewed knowledge base: its schema, its grounding in the article, and that every
question intent has an answer."""

import re

import pytest
import yaml

from actions.knowledge_base import INTENT_FOR_ENTITY_TYPE, KnowledgeBase
from content import read_domain
from deploy.settings import PROJECT as REPO
from tests.sources import source_text

DOMAIN = read_domain()
KNOWLEDGE = KnowledgeBase.load()


def words(text):
    return re.sub(r"[^\w]+", " ", text.lower()).split()


def test_every_entity_value_has_its_own_answer():
    synonyms = yaml.safe_load((REPO / "data/nlu/synonyms.yml").read_text())["nlu"]
    lookups = yaml.safe_load((REPO / "data/nlu/lookups.yml").read_text())["nlu"]
    entity_types = {item["lookup"] for item in lookups}
    assert entity_types == set(INTENT_FOR_ENTITY_TYPE)
    entries_by_value = {e.entity_value: e for e in KNOWLEDGE.entries.values() if e.entity_type}
    missing = [item["synonym"] for item in synonyms if item["synonym"] not in entries_by_value]
    assert not missing


@pytest.mark.parametrize("entry", list(KNOWLEDGE.entries.values()), ids=lambda e: e.id)
def test_an_entry_is_short_titled_and_linked(entry):
    assert len(entry.title) <= 20  # Messenger's quick-reply limit
    assert 40 <= len(entry.text) <= (700 if entry.id == "warning_signs" else 600)
    assert 1 <= len(entry.related) <= 3  # Messenger shows at most three buttons
    assert all(related in KNOWLEDGE.entries and related != entry.id for related in entry.related)
    assert (entry.intent is None) != (entry.entity_type is None)


@pytest.mark.parametrize("entry", list(KNOWLEDGE.entries.values()), ids=lambda e: e.id)
def test_an_entry_names_a_passage_of_its_source(entry):
    source = source_text(entry.source.document)
    assert entry.source.section
    assert entry.source.passage in source, f"{entry.id}: passage not in {entry.source.document}"


@pytest.mark.parametrize("entry", list(KNOWLEDGE.entries.values()), ids=lambda e: e.id)
def test_an_answer_is_written_in_our_own_words(entry):
    article = words(source_text("article"))
    runs = {" ".join(article[i : i + 8]) for i in range(len(article) - 7)}
    answer = words(entry.text)
    copied = [
        " ".join(answer[i : i + 8])
        for i in range(len(answer) - 7)
        if " ".join(answer[i : i + 8]) in runs
    ]
    assert not copied


def test_a_named_exam_gets_its_own_answer():
    [entry] = KNOWLEDGE.answers_for("ask_exams", [{"entity": "exam", "value": "irm"}])
    assert entry.id == "exam_irm"


def test_a_question_about_risk_gets_the_overview_even_when_it_names_a_symptom():
    [entry] = KNOWLEDGE.answers_for(
        "ask_warning_signs", [{"entity": "symptom", "value": "signes_neurologiques"}]
    )
    assert entry.id == "warning_signs"


def test_a_button_payload_asks_for_its_entry_again():
    entry = KNOWLEDGE.entries["treatment_cimentoplastie"]
    assert entry.payload == '/ask_treatments{"treatment": "cimentoplastie"}'


def test_one_treatment_named_in_a_decision_question_gets_its_answer_two_get_the_overview():
    radiotherapy = [{"entity": "treatment", "value": "radiotherapie"}]
    assert [e.id for e in KNOWLEDGE.answers_for("ask_treatment_decision", radiotherapy)] == [
        "treatment_radiotherapie"
    ]
    both = radiotherapy + [{"entity": "treatment", "value": "chirurgie"}]
    assert [e.id for e in KNOWLEDGE.answers_for("ask_treatment_decision", both)] == [
        "treatment_decision"
    ]
