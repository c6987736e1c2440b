"""make eval-triage: the warning-sign vignettes through a freshly started assistant."""

import sys

from deploy.processes import Assistant, current_model
from tools.client import RestClient
from tools.triage_eval import evaluate


def main() -> int:
    with Assistant(current_model()) as assistant:
        report = evaluate(RestClient(assistant.url, assistant.token))
    print(report.format())
    return 1 if report.misses else 0


if __name__ == "__main__":
    sys.exit(main())
