"""make eval-answers: the judged answer evaluation (tests/answers) through a freshly started
assistant, the development and blind parts side by side; the misses as CSV for the staff
(results/answers/misses.csv). tests/answers/README.md says how each part was made.

    metastases-eval-answers [--set dev|blind] [--quiet]
"""

from __future__ import annotations

from actions.knowledge_base import KnowledgeBase
from deploy.settings import PROJECT
from tools.answer_eval import SETS, evaluate_answers, side_by_side, write_misses
from tools.evaluation_runs import parse_arguments, run_sets

MISSES = PROJECT / "results" / "answers" / "misses.csv"


def main() -> int:
    args = parse_arguments(__doc__, SETS)
    reports = run_sets(evaluate_answers, args.set or SETS)
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
