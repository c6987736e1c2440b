"""The staff dashboard's charts, as PNG files (matplotlib, without a display). Each chart has
a table of the same figures next to it on the page: the chart shows the shape, the table the
exact numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from matplotlib.dates import AutoDateLocator, DateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from assistant.safety.levels import URGENCE_24H, URGENCE_IMMEDIATE

# The widget's colours (web/widget/metastases-chat.css), readable on white.
BLUE, RED, AMBER, GREY = "#0b5cad", "#b00020", "#8a4500", "#4a5563"
LEVEL_COLOURS = {URGENCE_IMMEDIATE: RED, URGENCE_24H: AMBER}
WIDTH, DPI = 8.0, 100


def _save(figure: Figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=DPI)
    return path


def _per_day_axis(axes, series: Sequence[date]) -> None:
    axes.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=10))
    axes.xaxis.set_major_formatter(DateFormatter("%d/%m"))
    axes.set_xlim(date2num(min(series)) - 0.6, date2num(max(series)) + 0.6)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)


def activity(path: Path, conversations: Dict[date, int], messages: Dict[date, int]) -> Path:
    """Conversations and patient messages per day, one above the other."""
    figure = Figure(figsize=(WIDTH, 4.4))
    top, bottom = figure.subplots(2, 1, sharex=True)
    days = list(conversations)
    top.bar(days, list(conversations.values()), width=0.8, color=BLUE)
    top.set_title("Conversations par jour", loc="left", fontsize=11)
    bottom.bar(days, [messages[day] for day in days], width=0.8, color=GREY)
    bottom.set_title("Messages des patients par jour", loc="left", fontsize=11)
    for axes in (top, bottom):
        _per_day_axis(axes, days)
    return _save(figure, path)


def referrals(path: Path, per_day: Dict[date, Dict[str, int]], labels: Dict[str, str]) -> Path:
    """Urgent referrals per day, stacked by level."""
    figure = Figure(figsize=(WIDTH, 2.8))
    axes = figure.subplots()
    days = list(per_day)
    below = [0] * len(days)
    for level, colour in LEVEL_COLOURS.items():
        counts = [per_day[day][level] for day in days]
        axes.bar(days, counts, bottom=below, width=0.8, color=colour, label=labels[level])
        below = [b + c for b, c in zip(below, counts, strict=True)]
    axes.set_title("Orientations urgentes par jour", loc="left", fontsize=11)
    axes.legend(frameon=False, fontsize=9, loc="upper left")
    _per_day_axis(axes, days)
    axes.set_ylim(0, max(max(below), 1) * 1.35)  # room for the legend
    return _save(figure, path)


def ranking(path: Path, title: str, rows: List[Tuple[str, int]], colour: str = BLUE) -> Path:
    """Horizontal bars, the largest at the top."""
    figure = Figure(figsize=(WIDTH, 0.9 + 0.32 * max(len(rows), 1)))
    axes = figure.subplots()
    names = [name for name, _ in rows][::-1]
    counts = [count for _, count in rows][::-1]
    bars = axes.barh(names, counts, color=colour)
    axes.bar_label(bars, padding=3, fontsize=9)
    axes.set_title(title, loc="left", fontsize=11)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlim(0, max(counts + [1]) * 1.15)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="y", labelsize=9)
    return _save(figure, path)
