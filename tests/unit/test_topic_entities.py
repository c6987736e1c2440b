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


def test_nothing_is_found_in_a_greeting(extractor, nlp):
    assert extractor.entities(nlp("bonjour, merci beaucoup pour votre aide")) == []


def resolve(intent, entity_types):
    from rasa.shared.nlu.training_data.message import Message

    from assistant.topics.intent_resolver import TopicIntentResolver
    from content import question_intents

    config = TopicIntentResolver.get_default_config()
    resolver = TopicIntentResolver(config, None, None, question_intents())
    message = Message(
        data={
            "text": "texte",
            "intent": {"name": intent, "confidence": 0.8},
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
