"""Fixes to Rasa 3.6 measured on this project, applied when Rasa is started through
`python -m rasa_fixes` (same arguments as the `rasa` command; make run and the harness do)."""

from rasa_fixes import action_response_validation, event_types


def apply() -> None:
    action_response_validation.apply()
    event_types.apply()
