"""Validates action server responses with validators built once, each event against its own
type's schema.

Rasa 3.6 checks every response of the action server against its JSON schema with
`jsonschema.validate()`, which first checks the schema itself, every time: 44% of a Rasa
server's CPU under load (py-spy, docs/benchmarks.md). Then each event is tried against all 23
branches of the schema's `oneOf` to find the one it fits: 6% of the CPU left (cProfile,
docs/benchmarks.md). Each branch fixes the `event` field to its own constant, so an event fits
`oneOf` exactly when it fits the branch of its own `event`: that branch alone is checked.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Tuple

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


def _validator(schema: Dict[str, Any]) -> Any:
    return validators.validator_for(schema)(schema)


@lru_cache(maxsize=1)
def _validators() -> Tuple[Any, Dict[str, Any]]:
    """The response's schema without the events' `oneOf`, and each event type's branch."""
    schema = RemoteAction.action_response_format_spec()
    events = schema["properties"]["events"]
    event = dict(events["items"])
    branches = event.pop("oneOf")
    by_type = {branch["properties"]["event"]["const"]: _validator(branch) for branch in branches}
    if len(by_type) != len(branches):
        raise RuntimeError("two event types of Rasa's schema share their 'event' constant")
    response = {
        **schema,
        "properties": {**schema["properties"], "events": {**events, "items": event}},
    }
    return _validator(response), by_type


def _check(result: Any) -> None:
    response, by_type = _validators()
    response.validate(result)
    for event in result.get("events") or ():
        branch = by_type.get(event["event"])
        if branch is None:
            raise ValidationError(f"{event['event']!r} is not an event type of Rasa's schema")
        branch.validate(event)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    try:
        _check(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from "
            f"the Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def apply() -> None:
    RemoteAction._validate_action_result = _validate_action_result
