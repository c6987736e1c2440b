"""The staff dashboard's figures, from the conversations of tools/staff/dashboard_data.py: per
day, most frequent, grouped. Every figure is an exact count; days are the server's local days."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Dict, Iterable, List, Tuple

from assistant.safety.levels import URGENT_LEVELS
from tools.staff.dashboard_data import GAP, OUTCOMES, Message, Referral, Session
from tools.staff.transcripts import FALLBACK, FALLBACK_INTENT, UNSURE
from tools.staff.wording_groups import group_by_wording

# The `input_channel` of Rasa's user events, as staff name the channels.
CHANNELS = {"socketio": "web", "facebook": "messenger", "rest": "rest"}
OTHER_CHANNEL = "autre"
# What the content team reads: why the bot could not answer well.
REASONS = (FALLBACK, GAP, UNSURE)
# How many intents and knowledge entries the "most asked" panels list.
TOP = 15


@dataclass(frozen=True)
class UnansweredMessage:
    pseudonym: str
    message: Message


@dataclass
class WordingGroup:
    """Messages of similar wording the bot could not answer well, the most frequent wording
    first."""

    messages: List[UnansweredMessage]

    @property
    def wording(self) -> str:
        return self.messages[0].message.text

    def count(self, reason: str | None = None) -> int:
        return sum(reason is None or reason in m.message.reasons for m in self.messages)

    def wordings(self) -> List[Tuple[str, int]]:
        """The distinct texts of the group with how often each came, the most frequent first."""
        return Counter(m.message.text for m in self.messages).most_common()

    def intents(self) -> List[Tuple[str, int]]:
        return Counter(m.message.intent or "?" for m in self.messages).most_common()


@dataclass
class Stats:
    first_day: date | None = None
    last_day: date | None = None
    conversations: int = 0
    messages: int = 0
    conversations_per_day: Dict[date, int] = field(default_factory=dict)
    messages_per_day: Dict[date, int] = field(default_factory=dict)
    median_messages: float | None = None
    median_minutes: float | None = None
    intents: List[Tuple[str, int]] = field(default_factory=list)
    entries: List[Tuple[str, int]] = field(default_factory=list)
    answer_kinds: List[Tuple[str, int]] = field(default_factory=list)
    # Per day, the urgent referrals of each level; and each referral with its conversation.
    referrals_per_day: Dict[date, Dict[str, int]] = field(default_factory=dict)
    referrals: List[Tuple[str, Referral]] = field(default_factory=list)
    unanswered: List[WordingGroup] = field(default_factory=list)
    questionnaires: Dict[str, int] = field(default_factory=dict)
    with_referral: int = 0
    ended_after_referral: int = 0
    channels: Dict[str, int] = field(default_factory=dict)

    def unanswered_count(self, reason: str | None = None) -> int:
        return sum(group.count(reason) for group in self.unanswered)

    def as_dict(self) -> Dict[str, Any]:
        """The figures for a machine (dashboard.json): days as ISO dates."""

        def by_day(series: Dict[date, Any]) -> Dict[str, Any]:
            return {day.isoformat(): value for day, value in series.items()}

        return {
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "conversations": self.conversations,
            "messages": self.messages,
            "conversations_per_day": by_day(self.conversations_per_day),
            "messages_per_day": by_day(self.messages_per_day),
            "median_messages": self.median_messages,
            "median_minutes": self.median_minutes,
            "intents": dict(self.intents),
            "entries": dict(self.entries),
            "answer_kinds": dict(self.answer_kinds),
            "referrals": {
                level: sum(r.level == level for _, r in self.referrals) for level in URGENT_LEVELS
            },
            "referrals_per_day": by_day(self.referrals_per_day),
            "conversations_with_referral": self.with_referral,
            "ended_after_referral": self.ended_after_referral,
            "unanswered": {
                "messages": self.unanswered_count(),
                "groups": len(self.unanswered),
                **{reason: self.unanswered_count(reason) for reason in REASONS},
            },
            "questionnaires": self.questionnaires,
            "channels": self.channels,
        }


def day_of(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp).date()


def days(first: date, last: date) -> List[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def channel_name(channel: str | None) -> str:
    return CHANNELS.get(channel or "", OTHER_CHANNEL)


def compute(
    sessions: Iterable[Session], first: date | None = None, last: date | None = None
) -> Stats:
    """The figures of these conversations. The per-day series run from `first` (or the first
    conversation's day) to `last` or the last day with a message or a referral, whichever is
    later (a conversation started on the last day may go on past midnight); days without
    activity are at 0."""
    sessions = sorted(sessions, key=lambda session: session.start)
    stats = Stats(conversations=len(sessions))
    if not sessions:
        return stats
    messages = [message for session in sessions for message in session.messages]
    stats.messages = len(messages)
    stats.first_day = first or day_of(sessions[0].start)
    active_days = [day_of(m.timestamp) for m in messages] + [
        day_of(r.timestamp) for s in sessions for r in s.referrals
    ]
    stats.last_day = max([*active_days, *([last] if last else [])])
    period = days(stats.first_day, stats.last_day)

    started = Counter(day_of(session.start) for session in sessions)
    written = Counter(day_of(message.timestamp) for message in messages)
    stats.conversations_per_day = {day: started[day] for day in period}
    stats.messages_per_day = {day: written[day] for day in period}
    stats.median_messages = statistics.median(len(session.messages) for session in sessions)
    stats.median_minutes = statistics.median((s.end - s.start) / 60 for s in sessions)

    # What patients ask: their intents (not the answers to the questionnaire's buttons, nor
    # the messages not understood), the knowledge entries given and the kinds of answer.
    stats.intents = Counter(
        m.intent
        for m in messages
        if m.intent and m.intent != FALLBACK_INTENT and not m.in_questionnaire
    ).most_common(TOP)
    stats.entries = Counter(entry for s in sessions for entry in s.entries).most_common(TOP)
    stats.answer_kinds = Counter(kind for s in sessions for kind in s.answer_kinds).most_common()

    stats.referrals = [(s.pseudonym, referral) for s in sessions for referral in s.referrals]
    stats.referrals.sort(key=lambda pair: pair[1].timestamp)
    per_day = Counter((day_of(r.timestamp), r.level) for _, r in stats.referrals)
    stats.referrals_per_day = {
        day: {level: per_day[(day, level)] for level in URGENT_LEVELS} for day in period
    }
    stats.with_referral = sum(bool(session.referrals) for session in sessions)
    stats.ended_after_referral = sum(session.ended_after_referral for session in sessions)

    unanswered = [
        UnansweredMessage(session.pseudonym, message)
        for session in sessions
        for message in session.messages
        if message.reasons and not message.from_button
    ]
    groups = group_by_wording([item.message.text for item in unanswered])
    stats.unanswered = [WordingGroup([unanswered[i] for i in group]) for group in groups]

    outcomes = Counter(outcome for session in sessions for outcome in session.questionnaires)
    stats.questionnaires = {outcome: outcomes[outcome] for outcome in OUTCOMES}
    channels = Counter(channel_name(session.channel) for session in sessions)
    stats.channels = {name: channels[name] for name in CHANNELS.values()}
    if channels[OTHER_CHANNEL]:  # the terminal (make shell), a channel added since
        stats.channels[OTHER_CHANNEL] = channels[OTHER_CHANNEL]
    return stats
