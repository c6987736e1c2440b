"""make eval-answers: the judged answer evaluation (tests/answers) through a freshly started
assistant, the development and blind parts side by side; the misses as CSV for the staff
(results/answers/misses.csv). tests/answers/README.md says how each part was made.

    metastases-eval-answers [--set dev|blind] [--quiet]
"""

from __future__ import annotations

import argparse

from actions.knowledge_base import KnowledgeBase
from deploy.processes import Assistant, current_model
from deploy.settings import PROJECT
from tools.answer_eval import SETS, evaluate_answers, side_by_side, write_misses
from tools.client import RestClient

MISSES = PROJECT / "results" / "answers" / "misses.csv"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", choices=SETS, action="append", help="only this set (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="figures only, without each miss")
    args = parser.parse_args()
    with Assistant(current_model()) as assistant:
        client = RestClient(assistant.url, assistant.token)
        reports = [evaluate_answers(client, name) for name in args.set or SETS]
    for report in reports:  # what must never happen, quiet or not
        for alarm in report.alarms():
            print(f"ALARM {report.name} {alarm.case_id}: {alarm.text}")
        for case_id in report.repeated:
            print(f"REPEATED {report.name} {case_id}")
    if not args.quiet:
        for report in reports:
            for miss in report.misses():
                print(
                    f"{report.name} {miss.case_id}: {' | '.join(miss.expected)} <- "
                    f"{' | '.join(miss.reply.labels) or '-'}: {miss.text}"
                )
    print(side_by_side(reports, KnowledgeBase.load()))
    write_misses(reports, MISSES)
    print(f"misses: {MISSES.relative_to(PROJECT)}")
    return 0
