"""The triage levels of the `triage` slot, most urgent first (see red_flags.md)."""

from typing import Iterable

URGENCE_IMMEDIATE = "urgence_immediate"
URGENCE_24H = "urgence_24h"
NON_URGENT = "non_urgent"
# Not a verdict: the detector's way of saying "ask the warning-sign questions".
VERIFY = "a_verifier"

URGENT_LEVELS = (URGENCE_IMMEDIATE, URGENCE_24H)
VERDICTS = (URGENCE_IMMEDIATE, URGENCE_24H, NON_URGENT)


def most_urgent(levels: Iterable[str | None]) -> str | None:
    """The most urgent verdict among `levels`, or None if there is none."""
    present = set(levels)
    return next((level for level in VERDICTS if level in present), None)
