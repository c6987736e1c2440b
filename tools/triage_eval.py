"""Runs the warning-sign vignettes (tests/vignettes) through a running assistant, one new
conversation per message, and measures the triage it sets."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

import yaml
from scipy.stats import beta

from assistant.safety.levels import URGENCE_24H, URGENCE_IMMEDIATE, URGENT_LEVELS
from tools.client import RestClient, new_sender, texts

VIGNETTES = Path(__file__).resolve().parent.parent / "tests" / "vignettes"
RANK = {URGENCE_IMMEDIATE: 0, URGENCE_24H: 1}


@dataclass
class Outcome:
    text: str
    expected: str | None  # the minimum level for a positive, None for a negative
    label: str  # category (positive) or kind (negative)
    level: str | None
    replies: str

    @property
    def missed(self) -> bool:
        return self.expected is not None and (
            self.level not in RANK or RANK[self.level] > RANK[self.expected]
        )

    @property
    def urgent(self) -> bool:
        return self.level in URGENT_LEVELS


@dataclass
class Report:
    positives: List[Outcome] = field(default_factory=list)
    negatives: List[Outcome] = field(default_factory=list)

    def sensitivity(self, level: str) -> Tuple[int, int]:
        cases = [o for o in self.positives if o.expected == level]
        return sum(not o.missed for o in cases), len(cases)

    @property
    def misses(self) -> List[Outcome]:
        return [o for o in self.positives if o.missed]

    @property
    def false_urgent(self) -> List[Outcome]:
        return [o for o in self.negatives if o.urgent]

    @property
    def over_triage_rate(self) -> float:
        return len(self.false_urgent) / len(self.negatives)

    def miss_rate_upper_bound(self) -> float:
        """One-sided 95% Clopper-Pearson upper bound on the miss rate (about 3/n with no miss)."""
        n, k = len(self.positives), len(self.misses)
        return 1.0 if k >= n else float(beta.ppf(0.95, k + 1, n - k))

    def format(self) -> str:
        lines = ["Warning-sign vignettes, one new conversation each, through the REST channel"]
        for level in (URGENCE_IMMEDIATE, URGENCE_24H):
            hits, total = self.sensitivity(level)
            lines.append(f"  sensitivity {level:<18} {hits}/{total} = {hits / total:.1%}")
        n = len(self.positives)
        lines.append(f"  misses (under-triage)          {len(self.misses)}/{n}")
        lines.append(
            f"  95% upper bound on miss rate   {self.miss_rate_upper_bound():.2%} (one-sided, Clopper-Pearson)"
        )
        over_24h = sum(
            1 for o in self.positives if o.expected == URGENCE_24H and o.level == URGENCE_IMMEDIATE
        )
        lines.append(f"  24 h cases sent to immediate   {over_24h}")
        false_urgent = (
            f"{len(self.false_urgent)}/{len(self.negatives)} = {self.over_triage_rate:.1%}"
        )
        lines.append(f"  over-triage on negatives       {false_urgent}")
        for outcome in self.misses:
            lines.append(f"  MISS [{outcome.label}] got {outcome.level}: {outcome.text}")
        for outcome in self.false_urgent:
            lines.append(f"  FALSE URGENT [{outcome.label}] got {outcome.level}: {outcome.text}")
        return "\n".join(lines)


def load_vignettes() -> Tuple[List[Dict], List[Dict]]:
    def read(name: str) -> List[Dict]:
        return yaml.safe_load((VIGNETTES / name).read_text(encoding="utf-8"))["vignettes"]

    return read("positives.yml"), read("negatives.yml")


def evaluate(client: RestClient, workers: int = 8) -> Report:
    positives, negatives = load_vignettes()

    def run(item: Dict, expected: str | None, label: str) -> Outcome:
        sender = new_sender("vignette")
        replies = texts(client.send(item["text"], sender))
        return Outcome(item["text"], expected, label, client.slot(sender, "triage"), replies)

    with ThreadPoolExecutor(workers) as pool:
        positive_runs = [pool.submit(run, v, v["level"], v["category"]) for v in positives]
        negative_runs = [pool.submit(run, v, None, v["kind"]) for v in negatives]
        return Report([f.result() for f in positive_runs], [f.result() for f in negative_runs])
