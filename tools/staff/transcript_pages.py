"""The HTML pages of the conversation review, in French: one page a conversation and an index.
Self-contained (inline CSS, no script) so that they open anywhere and print; every text from
the store is escaped, since patients type anything."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Iterable, List

from assistant.safety.levels import NON_URGENT, URGENCE_24H, URGENCE_IMMEDIATE
from tools.staff.transcripts import (
    FALLBACK,
    MARKERS,
    UNSURE,
    URGENT,
    Conversation,
    Entry,
    with_marker,
)

LEVELS = {
    URGENCE_IMMEDIATE: "Urgence immédiate (15 / 112)",
    URGENCE_24H: "À voir dans les 24 h",
    NON_URGENT: "Non urgent",
}
MARKER_LABELS = {
    URGENT: "Orientation urgente",
    FALLBACK: "Incompréhension",
    UNSURE: "Confiance faible",
}
SPEAKERS = {"patient": "Patient", "bot": "Assistant"}
CSV_NAME = "low_confidence.csv"

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 2rem auto;
       max-width: 72rem; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: .3rem; }
a { color: #0b5394; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ccc; padding: .45rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
.meta { color: #444; }
.time { white-space: nowrap; color: #555; font-size: .9em; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
tr.patient td { background: #f3f8ff; }
tr.triage td, tr.session td { font-weight: 600; }
tr.session td { color: #555; background: #f7f7f7; }
tr.urgent td { background: #fdecea; }
.buttons { margin: .3rem 0 0; padding-left: 1.2rem; color: #444; }
code { font-size: .9em; }
.marker { display: inline-block; border: 1px solid; border-radius: .3rem; padding: 0 .35rem; margin: .1rem .2rem 0 0;
          font-size: .8em; font-weight: 700; text-transform: uppercase; }
.marker-urgent { color: #a50e0e; background: #fdecea; }
.marker-fallback { color: #7a4b00; background: #fff4e0; }
.marker-low-confidence { color: #5b2a86; background: #f3ecfa; }
.level-urgence_immediate, .level-urgence_24h { color: #a50e0e; font-weight: 700; }
.number { text-align: right; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  .nav { display: none; }
  a { color: inherit; text-decoration: none; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def local_time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%d/%m/%Y %H:%M:%S")


def decimal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def level_label(level: str | None) -> str:
    return LEVELS.get(level, level) if level else "aucun"


def markers_html(markers: Iterable[str]) -> str:
    return "".join(f'<span class="marker marker-{m}">{MARKER_LABELS[m]}</span>' for m in markers)


def document(title: str, body: str, style: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}{style}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def conversation_page(
    conversation: Conversation, threshold: float, back: str = "Toutes les conversations"
) -> str:
    """The transcript of one conversation; `back` names the index.html it links back to."""
    level = conversation.triage
    summary = (
        f'<p class="meta">Du {local_time(conversation.start)} au {local_time(conversation.end)} · '
        f"{conversation.messages('patient')} message(s) du patient, {conversation.messages('bot')} réponse(s) · "
        f'triage atteint : <span class="level-{escape(level or "none")}">{escape(level_label(level))}</span></p>\n'
        f"<p>{markers_html(m for m in MARKERS if conversation.count(m))}</p>"
    ).replace("<p></p>", "")
    rows = "\n".join(entry_row(entry) for entry in conversation.entries)
    body = (
        f'<p class="nav"><a href="index.html">← {escape(back)}</a></p>\n'
        f"<h1>Conversation {escape(conversation.pseudonym)}</h1>\n{summary}\n"
        f'<p class="meta">Confiance faible : en dessous de {decimal(threshold)}.</p>\n'
        "<table>\n<thead><tr><th>Heure</th><th>Qui</th><th>Message</th><th>Analyse</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>"
    )
    return document(f"Conversation {conversation.pseudonym}", body)


def entry_row(entry: Entry) -> str:
    classes = " ".join([entry.kind, *entry.markers])
    time_cell = f'<td class="time">{local_time(entry.timestamp)}</td>'
    if entry.kind == "session":
        return f'<tr class="{classes}">{time_cell}<td colspan="3">Nouvelle session</td></tr>'
    if entry.kind == "triage":
        return (
            f'<tr class="{classes}">{time_cell}<td colspan="3">Niveau de triage : '
            f'<span class="level-{escape(entry.level or "")}">{escape(level_label(entry.level))}</span> '
            f"{markers_html(entry.markers)}</td></tr>"
        )
    text = escape(entry.text) if entry.text else "<em>(sans texte)</em>"
    if entry.buttons:
        text += (
            '<ul class="buttons">'
            + "".join(f"<li>[{escape(b)}]</li>" for b in entry.buttons)
            + "</ul>"
        )
    if entry.kind == "patient":
        confidence = decimal(entry.confidence) if entry.confidence is not None else "?"
        analysis = f"intention <code>{escape(entry.intent or '?')}</code><br>confiance {confidence}"
        if entry.runner_up:
            analysis += (
                f'<br><span class="meta">sinon : <code>{escape(entry.runner_up)}</code></span>'
            )
    else:
        analysis = f"réponse <code>{escape(entry.response)}</code>" if entry.response else ""
    return (
        f'<tr class="{classes}">{time_cell}<td>{SPEAKERS[entry.kind]}</td><td class="text">{text}</td>'
        f"<td>{analysis}{'<br>' + markers_html(entry.markers) if entry.markers else ''}</td></tr>"
    )


def index_page(
    conversations: List[Conversation], filters: List[str], threshold: float, unsure: int
) -> str:
    rows = "\n".join(
        index_row(conversation) for conversation in sorted(conversations, key=lambda c: -c.start)
    )
    urgent, fallback = with_marker(conversations, URGENT), with_marker(conversations, FALLBACK)
    now = datetime.now().astimezone()
    body = (
        "<h1>Revue des conversations</h1>\n"
        f'<p class="meta">Export du {now.strftime("%d/%m/%Y à %H:%M")} · heures locales du serveur '
        f"({escape(now.tzname() or '')}) · filtres : {escape(', '.join(filters) or 'aucun')}.</p>\n"
        f"<p>{len(conversations)} conversation(s), dont {urgent} avec une orientation urgente et {fallback} avec une "
        f"incompréhension. {unsure} message(s) à relire (confiance sous {decimal(threshold)} ou incompréhension) : "
        f'<a href="{CSV_NAME}">{CSV_NAME}</a>.</p>\n'
        f"<p>Marqueurs : {markers_html([URGENT])} niveau de triage urgent · {markers_html([FALLBACK])} message non "
        f"compris (<code>nlu_fallback</code>) ou réponse par défaut · {markers_html([UNSURE])} intention prédite "
        f"avec une confiance sous {decimal(threshold)}.</p>\n"
        "<table>\n<thead><tr><th>Conversation</th><th>Début</th><th>Fin</th><th>Messages du patient</th>"
        "<th>Réponses</th><th>Triage atteint</th><th>Orientations urgentes</th><th>Incompréhensions</th>"
        f"<th>Confiance faible</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"
    )
    return document("Revue des conversations", body)


def index_row(conversation: Conversation) -> str:
    name = escape(conversation.pseudonym)
    level = conversation.triage
    counts = "".join(f'<td class="number">{conversation.count(m)}</td>' for m in MARKERS)
    return (
        f'<tr class="{" ".join(m for m in MARKERS if conversation.count(m))}">'
        f'<td><a href="{name}.html">{name}</a></td>'
        f'<td class="time">{local_time(conversation.start)}</td><td class="time">{local_time(conversation.end)}</td>'
        f'<td class="number">{conversation.messages("patient")}</td>'
        f'<td class="number">{conversation.messages("bot")}</td>'
        f'<td class="level-{escape(level or "none")}">{escape(level_label(level))}</td>{counts}</tr>'
    )
