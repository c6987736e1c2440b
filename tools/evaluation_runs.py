"""What the evaluation commands share: which sets to run, and a freshly started assistant to
run them through (make eval-triage, make eval-answers)."""

from __future__ import annotations

import argparse
from typing import Callable, List, Sequence, TypeVar

from deploy.processes import Assistant, current_model
from tools.client import RestClient

Report = TypeVar("Report")


def parse_arguments(doc: str | None, sets: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", choices=sets, action="append", help="only this set (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="figures only, without each failure")
    return parser.parse_args()


def run_sets(evaluate: Callable[[RestClient, str], Report], names: Sequence[str]) -> List[Report]:
    """Each set through one assistant started as `make run` starts it."""
    with Assistant(current_model()) as assistant:
        client = RestClient(assistant.url, assistant.token)
        return [evaluate(client, name) for name in names]
