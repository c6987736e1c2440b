"""The reviewed knowledge base: its schema (subjects × aspects), its grounding in the article,
honest gaps, and how a question finds its entry."""

import re

import pytest
import yaml

from actions.knowledge_base import QUESTION_INTENTS, KnowledgeBase
from deploy.settings import PROJECT as REPO
from tests.sources import source_text

KNOWLEDGE = KnowledgeBase.load()
ENTRIES = list(KNOWLEDGE.entries.values())


def words(text):
    return re.sub(r"[^\w]+", " ", text.lower()).split()


def test_every_entity_value_has_its_own_subject():
    synonyms = yaml.safe_load((REPO / "data/nlu/synonyms.yml").read_text())["nlu"]
    lookups = yaml.safe_load((REPO / "data/nlu/lookups.yml").read_text())["nlu"]
    assert {item["lookup"] for item in lookups} <= set(QUESTION_INTENTS)
    values = {s.entity_value for s in KNOWLEDGE.subjects.values() if s.entity_type}
    assert not [item["synonym"] for item in synonyms if item["synonym"] not in values]


def test_every_subject_has_its_overview_and_only_known_aspects():
    for subject in KNOWLEDGE.subjects.values():
        assert KNOWLEDGE.default_aspect in subject.entries, subject.id
        assert set(subject.entries) <= set(KNOWLEDGE.aspects), subject.id
        assert (subject.intent is None) != (subject.entity_type is None), subject.id


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_an_entry_is_short_titled_and_linked(entry):
    assert len(entry.title) <= 20  # Messenger's quick-reply limit
    assert 40 <= len(entry.text) <= (700 if entry.subject == "signes_alerte" else 600)
    assert 20 <= len(entry.simple) <= 300 and entry.simple != entry.text
    assert len(entry.related) <= 3  # Messenger shows at most three buttons
    assert all(r in KNOWLEDGE.entries and r != entry.id for r in entry.related)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_an_entry_names_a_passage_of_its_source(entry):
    source = source_text(entry.source.document)
    assert entry.source.section
    assert entry.source.passage in source, f"{entry.id}: passage not in {entry.source.document}"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_an_answer_is_written_in_our_own_words(entry):
    article = words(source_text("article"))
    runs = {" ".join(article[i : i + 8]) for i in range(len(article) - 7)}
    for text in (entry.text, entry.simple):
        answer = words(text)
        copied = [
            " ".join(answer[i : i + 8])
            for i in range(len(answer) - 7)
            if " ".join(answer[i : i + 8]) in runs
        ]
        assert not copied


def test_an_uncovered_aspect_gets_an_honest_gap_that_names_who_to_ask():
    radiotherapy = KNOWLEDGE.subjects["radiotherapie"]
    gap = KNOWLEDGE.entry(radiotherapy, "duration")
    assert gap.is_gap and gap.id == "radiotherapie.duration"
    assert "pas d'information" in gap.text and radiotherapy.expert in gap.text.lower()
    assert KNOWLEDGE.entry_by_id("radiotherapie.duration") == gap
    assert set(gap.related) <= set(KNOWLEDGE.entries)


def test_a_gap_on_risks_or_on_a_symptom_says_what_must_never_wait():
    for cell in ("cimentoplastie.risks", "hypercalcemie.how"):
        assert "15" in KNOWLEDGE.entry_by_id(cell).text
    assert "15" not in KNOWLEDGE.entry_by_id("radiotherapie.duration").text


def test_every_subject_names_who_answers_its_gaps():
    assert all(s.expert.startswith("votre ") for s in KNOWLEDGE.subjects.values())


def test_a_named_exam_is_the_subject_and_the_most_specific_aspect_wins():
    entities = [
        {"entity": "exam", "value": "irm"},
        {"entity": "aspect", "value": "how"},
        {"entity": "aspect", "value": "pain"},
    ]
    assert [s.id for s in KNOWLEDGE.subjects_named("ask_exams", entities)] == ["irm"]
    assert KNOWLEDGE.aspect_asked(entities) == "pain"
    assert KNOWLEDGE.aspect_asked([]) == KNOWLEDGE.default_aspect


def aspect_in(text, words, value):
    start = text.index(words)
    return {"entity": "aspect", "value": value, "start": start, "end": start + len(words)}


def test_a_message_that_tells_its_context_first_asks_what_its_question_sentence_asks():
    text = "Ma sœur rentre à la maison avec un corset. Quel suivi est prévu après ?"
    entities = [
        aspect_in(text, "rentre à la maison", "daily_life"),
        aspect_in(text, "suivi", "next"),
    ]
    assert KNOWLEDGE.aspect_asked(entities, text) == "next"
    # a question that asks nothing precise is the overview, whatever its context says
    context_only = "J'ai lu le compte rendu. C'est le même cancer ?"
    documents = [aspect_in(context_only, "compte rendu", "documents")]
    assert KNOWLEDGE.aspect_asked(documents, context_only) == KNOWLEDGE.default_aspect
    # one sentence: every aspect it names counts
    assert KNOWLEDGE.aspect_asked(entities, text.replace(". ", ", ")) == "daily_life"


def test_a_named_symptom_is_the_subject_but_an_outlook_question_keeps_its_own():
    paralysis = [{"entity": "symptom", "value": "signes_neurologiques"}]
    [subject] = KNOWLEDGE.subjects_named("ask_warning_signs", paralysis)
    assert subject.id == "signes_neurologiques"  # "la compression médullaire c'est quoi ?"
    [subject] = KNOWLEDGE.subjects_named("ask_prognosis", paralysis)
    assert subject.id == "pronostic"  # "est-ce que je risque la paralysie ?"


def test_a_treatment_named_beside_a_symptom_is_the_subject():
    entities = [
        {"entity": "symptom", "value": "signes_neurologiques", "start": 15, "end": 24},
        {"entity": "treatment", "value": "chirurgie", "start": 34, "end": 43},
    ]
    [subject] = KNOWLEDGE.subjects_named("ask_treatments", entities)
    assert subject.id == "chirurgie"  # "un risque de paralysie avec la chirurgie ?"


def test_the_words_that_ask_an_aspect_name_no_subject():
    entities = [
        {"entity": "symptom", "value": "douleur", "start": 6, "end": 14},
        {"entity": "aspect", "value": "pain", "start": 6, "end": 14},
    ]
    # "et ça fait mal ?" after an answer
    assert KNOWLEDGE.subjects_named("ask_followup", entities, follow_up=True) == []
    # "les métastases, ça fait mal ?" to start with: the pain is the subject
    [subject] = KNOWLEDGE.subjects_named("ask_symptoms", entities)
    assert subject.id == "douleur"


def test_a_short_aspect_question_or_a_message_going_on_from_the_answer_is_a_follow_up():
    pain = [
        {"entity": "symptom", "value": "douleur", "start": 3, "end": 11},
        {"entity": "aspect", "value": "pain", "start": 3, "end": 11},
    ]
    assert KNOWLEDGE.is_follow_up("ça fait mal ?", pain)  # the symptom is the aspect asked
    assert KNOWLEDGE.is_follow_up("et ça s'annonce comment, il y a des signes avant ?", [])
    assert KNOWLEDGE.is_follow_up("Et c'est risqué ?", [])
    # a subject of its own, a new question without a word pointing back, a button
    surgery = [{"entity": "treatment", "value": "chirurgie", "start": 10, "end": 19}]
    assert not KNOWLEDGE.is_follow_up("et pour la chirurgie ?", surgery)
    assert not KNOWLEDGE.is_follow_up("et le cancer de la prostate, c'est héréditaire ?", [])
    assert not KNOWLEDGE.is_follow_up("et elles viennent de quels cancers ?", [])
    assert not KNOWLEDGE.is_follow_up("/ask_exams", [{"entity": "aspect", "value": "pain"}])
    long = "et ça " + " ".join(["mot"] * 15)
    assert not KNOWLEDGE.is_follow_up(long, [])


def test_a_named_symptom_with_a_reviewed_answer_is_found_whatever_the_intent():
    painful = [
        {"entity": "symptom", "value": "douleur", "start": 40, "end": 50},
        {"entity": "aspect", "value": "pain", "start": 40, "end": 50},
    ]
    # "c'est forcément douloureux ?" read as an outlook question: the outlook has no pain entry
    [outlook] = KNOWLEDGE.subjects_named("ask_prognosis", painful)
    assert KNOWLEDGE.entry(outlook, "pain").is_gap
    assert [e.id for e in KNOWLEDGE.reviewed_named(painful, "pain")] == ["douleur.overview"]
    # nothing reviewed to offer: the gap stays
    scan = [{"entity": "exam", "value": "scanner", "start": 0, "end": 7}]
    assert KNOWLEDGE.reviewed_named(scan, "cost") == []


def test_asking_whether_it_heals_asks_the_outlook_itself():
    outlook = KNOWLEDGE.subjects["pronostic"]
    assert KNOWLEDGE.entry(outlook, "results").id == "pronostic.overview"
    assert KNOWLEDGE.entry(outlook, "duration").is_gap  # "combien de temps il reste ?"


def test_a_follow_up_naming_the_kind_of_the_current_subject_keeps_it():
    surgery, vertebrectomy = KNOWLEDGE.subjects["chirurgie"], KNOWLEDGE.subjects["vertebrectomie"]
    assert KNOWLEDGE.within([surgery], vertebrectomy) == [vertebrectomy]
    assert KNOWLEDGE.within([surgery], None) == [surgery]
    both = [
        {"entity": "treatment", "value": "vertebrectomie"},
        {"entity": "treatment", "value": "chirurgie"},
    ]
    assert KNOWLEDGE.subjects_named("ask_treatments", both) == [vertebrectomy]


def test_a_button_payload_asks_for_its_entry_again():
    subject = KNOWLEDGE.subjects["cimentoplastie"]
    assert (
        subject.payload("how") == '/ask_treatments{"treatment": "cimentoplastie", "aspect": "how"}'
    )
    assert KNOWLEDGE.subjects["deuxieme_avis"].payload("cost") == (
        '/ask_second_opinion{"aspect": "cost"}'
    )


def test_one_treatment_named_in_a_decision_question_is_its_subject_two_are_the_overview():
    radiotherapy = [{"entity": "treatment", "value": "radiotherapie"}]
    named = KNOWLEDGE.subjects_named("ask_treatment_decision", radiotherapy)
    assert [s.id for s in named] == ["radiotherapie"]
    both = radiotherapy + [{"entity": "treatment", "value": "chirurgie"}]
    named = KNOWLEDGE.subjects_named("ask_treatment_decision", both)
    assert [s.id for s in named] == ["decision"]


def test_the_buttons_after_an_answer_are_other_aspects_never_itself():
    entry = KNOWLEDGE.entries["cimentoplastie.overview"]
    following = KNOWLEDGE.next_entries(entry)
    assert 1 <= len(following) <= 3 and entry not in following
