"""The topic entity extractor: lookup words through typos, and reviewed paraphrases."""

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from assistant.topics.entity_extractor import TopicEntityExtractor, all_patterns
from content import TOPIC_PATTERNS


@pytest.fixture(scope="module")
def extractor():
    return TopicEntityExtractor({}, None, None, all_patterns(load_data("data/nlu"), TOPIC_PATTERNS))


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("dans quel cas on fait une biopssie ?", "exam", "biopsie"),
        ("mon oncologue veut prélever un petit bout d'os", "exam", "biopsie"),
        ("on va lui mettre des vis dans la colonne ?", "treatment", "liberation_fixation"),
        ("on peut vraiment enlever une vertèbre entière ?", "treatment", "vertebrectomie"),
        ("est-ce que je vais devoir porter un corset ?", "treatment", "repos_immobilisation"),
        ("c koi la cimentoplatie", "treatment", "cimentoplastie"),
        ("une métastase peut faire une bosse sur l'os ?", "symptom", "tumefaction"),
        ("les métastases vertébrales font-elles mal ?", "symptom", "douleur"),
        ("c'est quoi une I.R.M ?", "exam", "irm"),
        # what a question asks, in lay and SMS words
        ("pk on fait une biopsie ?", "aspect", "why"),
        ("la radiothérapie ça revient à combien ?", "aspect", "cost"),
        ("on sent quelque chose pendant le scanner ?", "aspect", "pain"),
        ("c'est qui qui l'organise ?", "aspect", "who"),
        ("il y a un suivi derrière ?", "aspect", "next"),
        ("je peux dire non à la chimio ?", "aspect", "who_decides"),
        ("faut ramener mes anciennes radios ?", "aspect", "documents"),
        ("sous morphine on peut prendre le volant ?", "aspect", "daily_life"),
        ("que faire pour ne pas se casser une vertèbre ?", "aspect", "prevention"),
        ("la scinti c'est dangereux pour ma famille ?", "aspect", "transmission"),
    ],
)
def test_names_are_found_through_typos_and_paraphrases(extractor, nlp, text, entity, value):
    found = {(e["entity"], e["value"]) for e in extractor.entities(nlp(text))}
    assert (entity, value) in found


def test_a_name_inside_a_longer_name_gives_way_to_it(extractor, nlp):
    from rasa.shared.nlu.training_data.message import Message

    text = "le PET scan c'est douloureux ?"
    scanner = {"entity": "exam", "value": "scanner", "start": 7, "end": 11}
    message = Message(data={"text": text, "entities": [scanner], "text_spacy_doc": nlp(text)})
    [message] = extractor.process([message])
    exams = [e["value"] for e in message.get("entities") if e["entity"] == "exam"]
    assert exams == ["bilan_global"]  # a PET scan is part of the wider work-up


def test_nothing_is_found_in_a_greeting(extractor, nlp):
    assert extractor.entities(nlp("bonjour, merci beaucoup pour votre aide")) == []


def resolve(intent, entity_types, ranking=(), text="texte ?"):
    from rasa.shared.nlu.training_data.message import Message

    from assistant.safety.lexicon import load_lexicon
    from assistant.topics.intent_resolver import TopicIntentResolver
    from content import knowledge_intents, question_intents

    config = TopicIntentResolver.get_default_config()
    stored = {
        "question_intents": question_intents(),
        "knowledge_intents": knowledge_intents(),
        "report_intents": sorted(load_lexicon().report_intent_categories),
    }
    resolver = TopicIntentResolver(config, None, None, stored)
    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.8},
            "intent_ranking": [{"name": name, "confidence": 0.3} for name in ranking],
            "entities": [{"entity": t, "value": "x"} for t in entity_types],
        }
    )
    [message] = resolver.process([message])
    return message.get("intent")["name"]


def test_small_talk_naming_an_exam_is_a_question_about_it():
    assert resolve("greet", ["exam"]) == "ask_exams"


def test_thanks_with_a_question_is_a_follow_up_but_thanks_for_an_exam_stays_thanks():
    assert resolve("thanks", ["aspect"]) == "ask_followup"  # "merci, et c'est remboursé ?"
    assert resolve("thanks", ["exam"]) == "thanks"  # "merci pour l'IRM"
    assert resolve("affirm", ["aspect"]) == "affirm"  # "oui ça fait mal": a form's answer


def test_an_off_topic_question_stays_off_topic():
    assert resolve("out_of_scope", ["aspect"]) == "out_of_scope"  # "…chez le dentiste ?"
    assert resolve("nlu_fallback", ["aspect"]) == "ask_followup"  # "c long ?"


def test_a_message_ambiguous_between_two_answers_gets_the_likelier_one():
    # "on lui a trouvé des métastases aux vertèbres, c'est quoi au juste ?"
    ambiguous = ["nlu_fallback", "ask_what_are_metastases", "ask_primary_cancers"]
    assert resolve("nlu_fallback", [], ambiguous) == "ask_what_are_metastases"
    # "j'ai tellement peur, on vient de m'annoncer des métastases": the feeling first
    feeling = ["nlu_fallback", "ask_discovery", "express_fear"]
    assert resolve("nlu_fallback", [], feeling) == "express_fear"
    # "qui a gagné le match du PSG hier ?": off topic or a follow-up, not understood
    assert resolve("nlu_fallback", [], ["out_of_scope", "ask_followup"]) == "nlu_fallback"
    # "comment on soigne des métastases vertébrales ?": an aspect of the best question's subject
    hesitant = ["nlu_fallback", "ask_treatments", "out_of_scope"]
    assert resolve("nlu_fallback", ["aspect"], hesitant) == "ask_treatments"


def test_a_message_the_model_may_read_as_a_report_stays_an_unsure_report():
    ranking = ["nlu_fallback", "ask_symptoms", "report_back_pain", "ask_primary_cancers"]
    assert resolve("nlu_fallback", ["aspect"], ranking) == "report_back_pain"


def test_a_long_statement_asks_no_aspect():
    statement = "ça va pas trop en ce moment et je me sens pas comme d'habitude"
    assert resolve("nlu_fallback", ["aspect"], text=statement) == "nlu_fallback"
    assert resolve("nlu_fallback", ["aspect"], text="c long") == "ask_followup"
