"""The learned layer of warning-sign detection: trained, stored in the model, loaded back, and
scoring reports above look-alike messages."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from assistant.safety.sign_classifier import SCORES, WarningSignClassifier
from deploy.settings import PROJECT


@pytest.fixture(scope="module")
def classifier(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("sign_classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    config = WarningSignClassifier.get_default_config()
    trained = WarningSignClassifier.create(config, storage, resource, context)
    trained.train(load_data(str(PROJECT / "data" / "nlu")))
    return WarningSignClassifier.load(config, storage, resource, context)


def test_the_stored_classifier_loads_back_and_scores_a_message(classifier):
    [message] = classifier.process(
        [Message(data={"text": "mes jambes ne me portent plus depuis hier"})]
    )
    scores = message.get(SCORES)
    assert abs(sum(scores.values()) - 1) < 1e-6
    assert max(scores, key=scores.get) == "deficit_moteur"


def test_a_look_alike_scores_none_above_any_sign(classifier):
    scores = classifier.scores("c'est quoi une compression de la moelle ?")
    assert max(scores, key=scores.get) == "none"


def test_button_payloads_are_not_scored(classifier):
    [message] = classifier.process([Message(data={"text": "/affirm"})])
    assert message.get(SCORES) is None


def test_an_ordinary_back_pain_is_read_as_a_sign_to_verify_not_an_urgent_one(classifier):
    # Its training examples are those of report_back_pain, whose category only asks questions.
    for text in ("j'ai mal au dos", "j'ai un peu mal en bas du dos depuis quelques jours"):
        scores = classifier.scores(text)
        assert max(scores, key=scores.get) == "douleur_dos"
