"""The judged answer evaluation (tests/answers): does each reply answer what was asked?

Each question and each conversation turn names the answer it should get: a knowledge entry
`subject.aspect` (a reviewed text, or the honest gap where the article is silent), a domain
response (`utter_...`), or `rephrase` (the simpler wording of the previous answer). A set's
report gives entry accuracy, the honest-gap rate on gap questions, alarms raised on these
information questions, and answers repeated back to back in a conversation.
"""

from __future__ import annotations

import csv
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

import yaml

from actions.knowledge_base import KnowledgeBase
from deploy.settings import PROJECT
from tools.client import RestClient, new_sender

ANSWERS = PROJECT / "tests" / "answers"
SETS = ("dev", "blind")
REPHRASE = "rephrase"
URGENT_LEVELS = ("urgence_immediate", "urgence_24h")


@dataclass(frozen=True)
class Reply:
    """What the bot did after one message."""

    labels: Tuple[str, ...]  # entries answered, responses sent, or `rephrase`
    gap: bool  # an honest gap that names who to ask
    alarm: bool  # an urgent level raised, or an urgent text, in this turn
    text: str


@dataclass(frozen=True)
class Outcome:
    case_id: str
    text: str
    expected: Tuple[str, ...]
    reply: Reply

    @property
    def right(self) -> bool:
        return bool(set(self.expected) & set(self.reply.labels))

    def resolved(self, knowledge: KnowledgeBase) -> Outcome:
        """The expected cells as the entries the knowledge base writes for them: a warning-sign
        question of any aspect is answered by the signs and the numbers (`overview_also_answers`)."""
        entries = (
            knowledge.entry_by_id(label) if _is_entry(label) else None for label in self.expected
        )
        expected = tuple(
            entry.id if entry else label
            for entry, label in zip(entries, self.expected, strict=True)
        )
        return Outcome(self.case_id, self.text, expected, self.reply)


@dataclass
class AnswerReport:
    name: str
    outcomes: List[Outcome] = field(default_factory=list)
    # turns that sent the same knowledge entry as the turn before, word for word
    repeated: List[str] = field(default_factory=list)
    conversations: int = 0

    @property
    def repeats(self) -> int:
        return len(self.repeated)

    def accuracy(self, knowledge: KnowledgeBase) -> Tuple[int, int]:
        judged = [o for o in self.outcomes if _is_entry(o.expected[0])]
        return sum(o.right for o in judged), len(judged)

    def gap_rate(self, knowledge: KnowledgeBase) -> Tuple[int, int]:
        gaps = [o for o in self.outcomes if all(_is_gap(e, knowledge) for e in o.expected)]
        return sum(o.reply.gap for o in gaps), len(gaps)

    def other_labels(self) -> Tuple[int, int]:
        others = [o for o in self.outcomes if not _is_entry(o.expected[0])]
        return sum(o.right for o in others), len(others)

    def alarms(self) -> List[Outcome]:
        return [o for o in self.outcomes if o.reply.alarm]

    def misses(self) -> List[Outcome]:
        return [o for o in self.outcomes if not o.right]

    def figures(self, knowledge: KnowledgeBase) -> Dict[str, str]:
        return {
            "entry accuracy (subject.aspect questions and turns)": _ratio(
                *self.accuracy(knowledge)
            ),
            "honest gap on gap questions": _ratio(*self.gap_rate(knowledge)),
            "support, small talk and rewording": _ratio(*self.other_labels()),
            "alarms on information questions": str(len(self.alarms())),
            "answers repeated back to back": f"{self.repeats} in {self.conversations} conversations",
        }


def _is_entry(label: str) -> bool:
    return "." in label


def _is_gap(label: str, knowledge: KnowledgeBase) -> bool:
    entry = knowledge.entry_by_id(label) if _is_entry(label) else None
    return bool(entry and entry.is_gap)


def _ratio(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.1%}" if total else "0/0"


def load_answer_set(name: str, folder: Path = ANSWERS) -> Dict[str, Any]:
    return yaml.safe_load((folder / f"{name}.yml").read_text(encoding="utf-8"))


def reply_after(client: RestClient, sender: str, text: str) -> Reply:
    client.send(text, sender)
    tracker = client.tracker(sender)
    events = tracker.get("events", [])
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    turn = events[last_user + 1 :]
    labels: List[str] = []
    gap, texts = False, []
    for event in turn:
        if event.get("event") == "slot" and event.get("name") == "answered_topics":
            labels += event.get("value") or []
        elif event.get("event") == "slot" and event.get("name") == "answer_kind":
            gap = gap or event.get("value") == "gap"
            if event.get("value") == "simpler":
                labels.append(REPHRASE)
        elif event.get("event") == "bot":
            name = (event.get("metadata") or {}).get("utter_action")
            labels += [name] if name else []
            texts.append(event.get("text") or "")
    raised = any(
        e.get("event") == "slot" and e.get("name") == "triage" and e.get("value") in URGENT_LEVELS
        for e in turn
    )
    alarm = raised or any(label.startswith("utter_urgence") for label in labels)
    return Reply(tuple(labels), gap, alarm, "\n".join(texts))


def evaluate_answers(client: RestClient, name: str, workers: int = 8) -> AnswerReport:
    cases = load_answer_set(name)

    def expected(item: Dict[str, Any]) -> Tuple[str, ...]:
        value = item["expected"]
        return tuple(value) if isinstance(value, list) else (value,)

    def question(item: Dict[str, Any]) -> List[Outcome]:
        reply = reply_after(client, new_sender(f"answers-{name}"), item["text"])
        return [Outcome(item["id"], item["text"], expected(item), reply)]

    def conversation(item: Dict[str, Any]) -> List[Outcome]:
        sender = new_sender(f"answers-{name}-conv")
        return [
            Outcome(
                f"{item['id']}#{n}",
                turn["user"],
                expected(turn),
                reply_after(client, sender, turn["user"]),
            )
            for n, turn in enumerate(item["turns"], 1)
        ]

    report = AnswerReport(name)
    with ThreadPoolExecutor(workers) as pool:
        singles = list(pool.map(question, cases["questions"]))
        talks = list(pool.map(conversation, cases["conversations"]))
    knowledge = KnowledgeBase.load()
    for outcomes in singles + talks:
        report.outcomes += [outcome.resolved(knowledge) for outcome in outcomes]
    for outcomes in talks:
        report.repeated += [
            later.case_id
            for earlier, later in zip(outcomes, outcomes[1:], strict=False)
            if later.reply.text == earlier.reply.text and any(map(_is_entry, later.reply.labels))
        ]
    report.conversations = len(talks)
    return report


def side_by_side(reports: Sequence[AnswerReport], knowledge: KnowledgeBase) -> str:
    names = [r.name for r in reports]
    rows = [f"| | {' | '.join(names)} |", f"|---|{'---|' * len(names)}"]
    figures = [r.figures(knowledge) for r in reports]
    for label in figures[0]:
        rows.append(f"| {label} | {' | '.join(f[label] for f in figures)} |")
    return "\n".join(rows)


def write_misses(reports: Sequence[AnswerReport], path: Path) -> None:
    """The misses as CSV for the staff: what was asked, what it should get, what it got."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["set", "id", "message", "expected", "got", "reply"])
        for report in reports:
            for o in report.misses():
                writer.writerow(
                    [
                        report.name,
                        o.case_id,
                        o.text,
                        " | ".join(o.expected),
                        " | ".join(o.reply.labels),
                        o.reply.text,
                    ]
                )
