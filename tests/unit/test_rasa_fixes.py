"""The cached validation of action server responses checks what Rasa's own check does."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from assistant.rasa_fixes.action_response_validation import _validate_action_result


@pytest.mark.parametrize(
    "response",
    [
        {"events": [], "responses": []},
        {
            "events": [{"event": "slot", "name": "answered_topics", "value": ["exam_irm"]}],
            "responses": [{"text": "x"}],
        },
        {"events": [{"event": "not_an_event"}], "responses": []},
        {"events": "not a list", "responses": []},
    ],
)
def test_the_cached_validation_agrees_with_rasa(response):
    try:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
        rasa_accepts = True
    except jsonschema.ValidationError:
        rasa_accepts = False
    try:
        ours_accepts = _validate_action_result(None, response)
    except jsonschema.ValidationError:
        ours_accepts = False
    assert ours_accepts == rasa_accepts


def test_event_classes_are_found_as_rasa_finds_them():
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    from assistant.rasa_fixes.event_types import _resolve_by_type

    for cls in all_subclasses(Event):
        assert _resolve_by_type(cls.type_name) is Event.resolve_by_type(cls.type_name)
    assert _resolve_by_type("nothing", default=Event) is Event


def test_the_fixes_refuse_a_rasa_version_they_were_not_measured_on():
    from assistant.rasa_fixes import MEASURED_ON_RASA, UnsupportedRasaVersionError, apply

    with pytest.raises(UnsupportedRasaVersionError, match=MEASURED_ON_RASA):
        apply(version="3.7.0")


def test_the_fixes_were_measured_on_the_installed_rasa():
    import rasa

    from assistant.rasa_fixes import MEASURED_ON_RASA

    assert rasa.__version__ == MEASURED_ON_RASA
