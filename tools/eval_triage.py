"""make eval-triage: the warning-sign evaluation sets through a freshly started assistant, the
development set and the blind set side by side (tests/vignettes/README.md says how each was made).

    metastases-eval-triage [--set dev|blind] [--quiet]
"""

from __future__ import annotations

from tools.evaluation_runs import parse_arguments, run_sets
from tools.triage_eval import SETS, evaluate, side_by_side


def main() -> int:
    args = parse_arguments(__doc__, SETS)
    reports = run_sets(evaluate, args.set or SETS)
    for report in reports:
        print(report.format(details=not args.quiet), end="\n\n")
    print(side_by_side(reports))
    return 1 if any(r.misses or r.false_urgent or r.failed_conversations for r in reports) else 0
