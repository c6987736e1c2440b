"""Runs the warning-sign evaluation sets (tests/vignettes/dev and tests/vignettes/blind)
through a running assistant and measures the triage it sets.

Single messages are each a new conversation. Conversations are played turn by turn; after
each turn the tracker's `triage` and the bot's responses are read and checked.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence, Tuple

import yaml
from scipy.stats import beta

from assistant.safety.levels import URGENCE_24H, URGENCE_IMMEDIATE, URGENT_LEVELS
from tools.client import RestClient, new_sender

VIGNETTES = Path(__file__).resolve().parent.parent / "tests" / "vignettes"
SETS = ("dev", "blind")
RANK = {URGENCE_IMMEDIATE: 2, URGENCE_24H: 1}
NOT_URGENT = "not_urgent"
ASK = "ask"
ANY = "any"
FORM = "warning_signs_form"


@dataclass(frozen=True)
class Response:
    name: str  # the domain response (utter_...), or "" for an action's own text
    text: str


@dataclass(frozen=True)
class Turn:
    """What the tracker holds after one user message."""

    level: str | None
    asked: bool  # the bot asked a warning-sign question
    responses: Tuple[Response, ...]

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.responses)


def reached(level: str | None, expected: str) -> bool:
    """Whether the level after a turn satisfies what was expected of it."""
    if expected in RANK:
        return RANK.get(level or "", 0) >= RANK[expected]
    if expected == NOT_URGENT:
        return level not in URGENT_LEVELS
    return True  # ask, any


# What a reply must do, by name of check (tests/vignettes/README.md).
CHECKS: Dict[str, Callable[[Turn], bool]] = {
    # The why-texts say the advice again ("c'est pourquoi il faut appeler le 15 maintenant").
    "keep_advice": lambda t: (
        any(
            r.name.startswith(
                (
                    "utter_urgence_",
                    "utter_maintien_",
                    "utter_rappel_",
                    "utter_pourquoi_",
                    # after "j'appelle": what to do until help comes, and when to call again
                    "utter_conseil_",
                )
            )
            for r in t.responses
        )
        and not any(r.name == "utter_d_accord" for r in t.responses)
    ),
    "explain_sign": lambda t: any(r.name.startswith("utter_pourquoi_") for r in t.responses),
    "address_relative": lambda t: any(
        marker in t.text.lower()
        for marker in (
            *("pour elle", "pour lui", "votre proche", "la personne"),
            *("the person", "for him", "for her", "your relative"),
        )
    ),
    "no_oncology_team": lambda t: "oncolog" not in t.text.lower(),
    "english_reply": lambda t: any(word in t.text.lower() for word in ("call ", "emergency")),
    "safety_reminder": lambda t: "15" in t.text or "112" in t.text,
}


@dataclass
class MessageOutcome:
    case: Dict[str, Any]
    turn: Turn

    @property
    def expected(self) -> str:
        return str(self.case["expected"])

    @property
    def missed(self) -> bool:
        return self.expected in RANK and not reached(self.turn.level, self.expected)

    @property
    def silent(self) -> bool:
        """A warning sign that got neither an urgent level nor a question."""
        return self.missed and self.turn.level not in URGENT_LEVELS and not self.turn.asked

    @property
    def false_urgent(self) -> bool:
        return self.expected == NOT_URGENT and self.turn.level in URGENT_LEVELS


@dataclass
class TurnOutcome:
    case: Dict[str, Any]
    turn: Turn

    @property
    def failures(self) -> List[str]:
        expected = str(self.case["expected"])
        found = (
            []
            if reached(self.turn.level, expected)
            else [f"expected {expected}, got {self.turn.level}"]
        )
        return found + [
            f"check {c} failed" for c in self.case.get("checks", []) if not CHECKS[c](self.turn)
        ]


@dataclass
class ConversationOutcome:
    case: Dict[str, Any]
    turns: List[TurnOutcome]

    @property
    def passed(self) -> bool:
        return not any(t.failures for t in self.turns)

    @property
    def false_urgent(self) -> bool:
        return any(
            str(t.case["expected"]) == NOT_URGENT and t.turn.level in URGENT_LEVELS
            for t in self.turns
        )

    @property
    def has_negative_turn(self) -> bool:
        return any(str(t.case["expected"]) == NOT_URGENT for t in self.turns)


@dataclass
class SetReport:
    name: str
    messages: List[MessageOutcome] = field(default_factory=list)
    conversations: List[ConversationOutcome] = field(default_factory=list)

    def _expecting(self, *levels: str) -> List[MessageOutcome]:
        return [o for o in self.messages if o.expected in levels]

    def recall(self, *levels: str) -> Tuple[int, int]:
        cases = self._expecting(*levels)
        return sum(not o.missed for o in cases), len(cases)

    @property
    def misses(self) -> List[MessageOutcome]:
        return [o for o in self.messages if o.missed]

    @property
    def silent_misses(self) -> List[MessageOutcome]:
        return [o for o in self.messages if o.silent]

    @property
    def false_urgent(self) -> List[MessageOutcome]:
        return [o for o in self.messages if o.false_urgent]

    @property
    def negatives(self) -> List[MessageOutcome]:
        return self._expecting(NOT_URGENT)

    def false_urgent_rate(self) -> float:
        return len(self.false_urgent) / max(len(self.negatives), 1)

    def miss_rate_upper_bound(self) -> float:
        """One-sided 95% Clopper-Pearson upper bound on the miss rate (about 3/n with no miss)."""
        k, n = len(self.misses), len(self._expecting(*RANK))
        return 1.0 if n == 0 or k >= n else float(beta.ppf(0.95, k + 1, n - k))

    @property
    def failed_conversations(self) -> List[ConversationOutcome]:
        return [c for c in self.conversations if not c.passed]

    def conversation_false_urgent_rate(self) -> float:
        with_negatives = [c for c in self.conversations if c.has_negative_turn]
        return sum(c.false_urgent for c in with_negatives) / max(len(with_negatives), 1)

    def figures(self) -> Dict[str, str]:
        immediate, immediate_n = self.recall(URGENCE_IMMEDIATE)
        urgent, urgent_n = self.recall(URGENCE_IMMEDIATE, URGENCE_24H)
        turns = [t for c in self.conversations for t in c.turns]
        return {
            "immediate-level recall": _ratio(immediate, immediate_n),
            "urgent recall (at least the expected level)": _ratio(urgent, urgent_n),
            "silent misses (no level, no question)": str(len(self.silent_misses)),
            "false urgent on negatives": _ratio(len(self.false_urgent), len(self.negatives)),
            "95% upper bound on the miss rate": f"{self.miss_rate_upper_bound():.2%}",
            "'ask' items that got a question or a level": _ratio(
                sum(o.turn.asked or o.turn.level in URGENT_LEVELS for o in self._expecting(ASK)),
                len(self._expecting(ASK)),
            ),
            "conversations passed": _ratio(
                len(self.conversations) - len(self.failed_conversations), len(self.conversations)
            ),
            "conversation turns passed": _ratio(sum(not t.failures for t in turns), len(turns)),
            "conversations with a false urgent": _ratio(
                sum(c.false_urgent for c in self.conversations if c.has_negative_turn),
                sum(c.has_negative_turn for c in self.conversations),
            ),
        }

    def format(self, details: bool = True) -> str:
        lines = [
            f"{self.name} set: {len(self.messages)} messages, {len(self.conversations)} conversations"
        ]
        lines += [f"  {label:<46} {value}" for label, value in self.figures().items()]
        if details:
            for o in self.misses:
                lines.append(
                    f"  MISS {o.case['id']} [{o.case.get('category')}] got {o.turn.level}: {o.case['text']}"
                )
            for o in self.false_urgent:
                lines.append(
                    f"  FALSE URGENT {o.case['id']} [{o.case.get('kind')}] got {o.turn.level}: {o.case['text']}"
                )
            for c in self.failed_conversations:
                for number, t in enumerate(c.turns, 1):
                    if t.failures:
                        lines.append(
                            f"  CONVERSATION {c.case['id']} turn {number} ({'; '.join(t.failures)}): {t.case['user']}"
                        )
        return "\n".join(lines)


def side_by_side(reports: Sequence[SetReport]) -> str:
    """The figures of several sets in one table."""
    labels = list(reports[0].figures())
    header = "| figure | " + " | ".join(r.name for r in reports) + " |"
    rows = [
        f"| {label} | " + " | ".join(r.figures()[label] for r in reports) + " |" for label in labels
    ]
    return "\n".join([header, "|---|" + "---|" * len(reports), *rows])


def _ratio(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.1%}" if total else "n/a"


def load_set(
    name: str, folder: Path = VIGNETTES
) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    def read(file: str, key: str) -> List[Dict[str, Any]]:
        path = folder / name / file
        return (
            (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(key, [])
            if path.exists()
            else []
        )

    return read("messages.yml", "messages"), read("conversations.yml", "conversations")


def turn_after(client: RestClient, sender: str, text: str) -> Turn:
    client.send(text, sender)
    tracker = client.tracker(sender)
    events = tracker.get("events", [])
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    responses = tuple(
        Response(str((e.get("metadata") or {}).get("utter_action") or ""), e.get("text") or "")
        for e in events[last_user + 1 :]
        if e.get("event") == "bot"
    )
    asked = (tracker.get("active_loop") or {}).get("name") == FORM or any(
        r.name.startswith(("utter_ask_warning", "utter_questionnaire_intro", "utter_verification_"))
        for r in responses
    )
    return Turn(tracker.get("slots", {}).get("triage"), asked, responses)


def evaluate(client: RestClient, name: str, workers: int = 8) -> SetReport:
    messages, conversations = load_set(name)

    def run_message(case: Dict[str, Any]) -> MessageOutcome:
        return MessageOutcome(case, turn_after(client, new_sender(f"eval-{name}"), case["text"]))

    def run_conversation(case: Dict[str, Any]) -> ConversationOutcome:
        sender = new_sender(f"eval-{name}-conv")
        return ConversationOutcome(
            case, [TurnOutcome(t, turn_after(client, sender, t["user"])) for t in case["turns"]]
        )

    with ThreadPoolExecutor(workers) as pool:
        message_runs = [pool.submit(run_message, c) for c in messages]
        conversation_runs = [pool.submit(run_conversation, c) for c in conversations]
        return SetReport(
            name, [f.result() for f in message_runs], [f.result() for f in conversation_runs]
        )
