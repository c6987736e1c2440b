"""make eval-triage: the warning-sign vignettes through a freshly started assistant."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.client import RestClient  # noqa: E402
from harness.servers import Assistant, current_model  # noqa: E402
from harness.triage_eval import evaluate  # noqa: E402


def main() -> int:
    with Assistant(current_model()) as assistant:
        report = evaluate(RestClient(assistant.url, assistant.token))
    print(report.format())
    return 1 if report.misses else 0


if __name__ == "__main__":
    sys.exit(main())
