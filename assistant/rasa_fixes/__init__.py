"""Fixes to Rasa 3.6 measured on this project, applied when Rasa is started through
`metastases-rasa` (same arguments as the `rasa` command; make run and deploy/ do).

Each fix replaces a Rasa internal, so it is applied only on the Rasa version it was measured
and tested on: any other version refuses to start rather than run on a guess.
"""

from __future__ import annotations

import os
import sys

import rasa

from assistant import log_privacy
from assistant.rasa_fixes import (
    action_connections,
    action_response_validation,
    action_token,
    api_token,
    count_vectors,
    domain_empty,
    event_types,
    graph_runner,
    model_inference,
    policy_states,
    rule_keys,
    slot_copies,
)

MEASURED_ON_RASA = "3.6.21"


class UnsupportedRasaVersionError(RuntimeError):
    pass


def apply(version: str = rasa.__version__) -> None:
    if version != MEASURED_ON_RASA:
        raise UnsupportedRasaVersionError(
            f"assistant.rasa_fixes was measured on Rasa {MEASURED_ON_RASA}, not {version}: "
            "check each fix against the new Rasa (tests/unit/test_rasa_fixes.py), then update "
            "MEASURED_ON_RASA."
        )
    action_response_validation.apply()
    event_types.apply()
    action_connections.apply()
    graph_runner.apply()
    model_inference.apply()
    count_vectors.apply()
    policy_states.apply()
    domain_empty.apply()
    rule_keys.apply()
    slot_copies.apply()
    api_token.apply()
    action_token.apply()


def run_rasa() -> int:
    """The `rasa` command with the fixes applied."""
    apply()
    log_privacy.install()
    sys.argv = api_token.with_token_from(os.environ, sys.argv)
    from rasa.__main__ import main

    main()
    return 0
