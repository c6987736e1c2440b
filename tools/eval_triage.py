"""make eval-triage: the warning-sign evaluation sets through a freshly started assistant, the
development set and the blind set side by side (tests/vignettes/README.md says how each was made).

    metastases-eval-triage [--set dev|blind] [--quiet]
"""

from __future__ import annotations

import argparse

from deploy.processes import Assistant, current_model
from tools.client import RestClient
from tools.triage_eval import SETS, evaluate, side_by_side


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", choices=SETS, action="append", help="only this set (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="figures only, without each failure")
    args = parser.parse_args()
    with Assistant(current_model()) as assistant:
        client = RestClient(assistant.url, assistant.token)
        reports = [evaluate(client, name) for name in args.set or SETS]
    for report in reports:
        print(report.format(details=not args.quiet), end="\n\n")
    print(side_by_side(reports))
    return 1 if any(r.misses or r.false_urgent or r.failed_conversations for r in reports) else 0
