"""The report of a test-dialogue run: an HTML page for staff (failures first, each dialogue
turn by turn, expected against actual, the triage level reached) and a terminal summary."""

from __future__ import annotations

import datetime
from html import escape
from typing import List

from tools.staff.dialogue_runner import DialogueResult, TurnResult

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; max-width: 70rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; margin: 0; }
.summary { font-size: 1.1rem; margin-bottom: 1.5rem; }
section { border: 1px solid #bbb; border-radius: .4rem; padding: .8rem 1rem; margin: 1rem 0; }
section.failed { border: 2px solid #b00020; background: #fff5f6; }
.badge { display: inline-block; padding: .1rem .5rem; border-radius: .8rem; font-size: .85rem; margin-left: .4rem; }
.ok { background: #dff3e3; color: #0b5d1e; } .ko { background: #b00020; color: #fff; }
.urgence_immediate { background: #b00020; color: #fff; } .urgence_24h { background: #e65100; color: #fff; }
.non_urgent { background: #e3ecf9; color: #0d3c78; } .aucun { background: #eee; color: #333; }
table { border-collapse: collapse; width: 100%; margin-top: .6rem; font-size: .92rem; }
th, td { border: 1px solid #ccc; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } tr.ko td { background: #fde8ea; }
.failure { color: #b00020; font-weight: 600; } .muted { color: #555; }
"""


def _badge(level: str) -> str:
    return f'<span class="badge {escape(level)}">triage : {escape(level)}</span>'


def _expected(turn: TurnResult) -> str:
    parts = []
    if turn.turn.responses:
        parts.append("réponse : " + ", ".join(turn.turn.responses))
    parts += [f"contient : « {phrase} »" for phrase in turn.turn.phrases]
    parts += [f"pas de réponse : {name}" for name in turn.turn.absent_responses]
    parts += [f"ne contient pas : « {phrase} »" for phrase in turn.turn.absent_phrases]
    if turn.turn.triage:
        parts.append(f"triage : {turn.turn.triage}")
    return (
        "<br>".join(escape(part) for part in parts) or '<span class="muted">(pas d\'attente)</span>'
    )


def _actual(turn: TurnResult) -> str:
    lines = [escape(reply) for reply in turn.replies]
    if turn.buttons:
        lines.append("boutons : " + escape(" · ".join(turn.buttons)))
    details = f"réponses : {', '.join(turn.responses) or 'aucune'}; triage : {turn.triage}"
    if turn.intent:
        details += f"; intention : {turn.intent} ({turn.confidence or 0:.2f})"
    lines.append(f'<span class="muted">{escape(details)}</span>')
    lines += [f'<span class="failure">✗ {escape(failure)}</span>' for failure in turn.failures]
    return "<br>".join(lines)


def _section(result: DialogueResult) -> str:
    status = (
        '<span class="badge ok">réussi</span>'
        if result.passed
        else '<span class="badge ko">échoué</span>'
    )
    rows = "".join(
        f'<tr class="{"ok" if turn.passed else "ko"}"><td>{number}</td><td>{escape(turn.turn.said)}</td>'
        f"<td>{_expected(turn)}</td><td>{_actual(turn)}</td></tr>"
        for number, turn in enumerate(result.turns, start=1)
    )
    error = f'<p class="failure">✗ {escape(result.error)}</p>' if result.error else ""
    return (
        f'<section class="{"passed" if result.passed else "failed"}">'
        f"<h2>{escape(result.dialogue.name)}{status}{_badge(result.triage_reached)}</h2>"
        f'<p class="muted">{escape(result.dialogue.source)}</p>{error}'
        "<table><thead><tr><th>#</th><th>Le patient</th><th>Attendu</th><th>Obtenu</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def html_report(results: List[DialogueResult], target: str) -> str:
    ordered = sorted(results, key=lambda r: r.passed)  # failures first, file order kept otherwise
    failed = sum(not r.passed for r in results)
    when = datetime.datetime.now().strftime("%d/%m/%Y %H:%M")
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Dialogues de test : {failed} échec(s)</title><style>{STYLE}</style></head><body>"
        "<h1>Dialogues de test</h1>"
        f'<p class="summary">{len(results)} dialogues, <strong>{len(results) - failed} réussis</strong>, '
        f"<strong>{failed} échoués</strong>. Serveur : {escape(target)}. {when}.</p>"
        + "".join(_section(result) for result in ordered)
        + "</body></html>"
    )


def terminal_summary(results: List[DialogueResult]) -> str:
    failed = [r for r in results if not r.passed]
    lines = [f"{len(results)} dialogues: {len(results) - len(failed)} passed, {len(failed)} failed"]
    for result in failed:
        lines.append(f"  FAILED {result.dialogue.source}: {result.dialogue.name}")
        if result.error:
            lines.append(f"    {result.error}")
        for number, turn in enumerate(result.turns, start=1):
            for failure in turn.failures:
                lines.append(f"    tour {number} ({turn.turn.said}): {failure}")
    return "\n".join(lines)
