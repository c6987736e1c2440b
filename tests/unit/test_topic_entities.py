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
    ],
)
def test_names_are_found_through_typos_and_paraphrases(extractor, nlp, text, entity, value):
    found = {(e["entity"], e["value"]) for e in extractor.entities(nlp(text))}
    assert (entity, value) in found


def test_nothing_is_found_in_a_greeting(extractor, nlp):
    assert extractor.entities(nlp("bonjour, merci beaucoup pour votre aide")) == []
