"""The staff dashboard as one static HTML page in French (index.html), beside its PNG charts:
self-contained like the transcripts (inline CSS, no script), every text from the store escaped.
Each panel has its chart, the exact figures in a table, and what to do with them."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Dict, Iterable, List, Sequence, Tuple

from assistant.safety.levels import URGENT_LEVELS
from tools.staff.dashboard_labels import ANSWER_KINDS, CHANNELS, LEVELS, OUTCOMES, REASONS
from tools.staff.dashboard_stats import Stats, WordingGroup
from tools.staff.transcript_pages import decimal, document, local_time
from tools.staff.unanswered_csv import CSV_NAME

# The charts beside the page (tools/staff/dashboard_plots.py draws them).
ACTIVITY_PNG = "activite.png"
INTENTS_PNG = "intentions.png"
ENTRIES_PNG = "fiches.png"
REFERRALS_PNG = "orientations_urgentes.png"
QUESTIONNAIRE_PNG = "questionnaire.png"
CHANNELS_PNG = "canaux.png"
# How many groups, and wordings of a group, the page shows (the CSV has them all).
GROUPS_SHOWN = 100
WORDINGS_SHOWN = 5

STYLE = """
img { max-width: 100%; height: auto; display: block; margin: .5rem 0; }
nav ul { columns: 2; padding-left: 1.2rem; }
section { margin-top: 2.2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #0b5394; padding-bottom: .2rem; }
.figures { display: flex; flex-wrap: wrap; gap: .6rem; margin: .8rem 0; padding: 0; list-style: none; }
.figures li { border: 1px solid #ccc; border-radius: .4rem; padding: .5rem .8rem; background: #f7f9fc; }
.figures strong { display: block; font-size: 1.4rem; }
.todo { background: #fff8e5; border-left: 4px solid #8a4500; padding: .5rem .8rem; }
caption { text-align: left; font-weight: 700; padding: .3rem 0; }
.wordings { margin: 0; padding-left: 1.1rem; }
summary { cursor: pointer; color: #0b5394; font-weight: 600; margin: .4rem 0; }
"""


def percent(number: int, total: int) -> str:
    """'60 %', '33,33 %'; '–' of nothing."""
    return f"{decimal(100 * number / total).removesuffix(',00')} %" if total else "–"


def count_of(number: int, total: int) -> str:
    """'3 sur 5 (60 %)'."""
    return f"{number} sur {total} ({percent(number, total)})"


def french_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table; cells are HTML already (escape texts before)."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        f"<table>\n<caption>{caption}</caption>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


def number(value: int) -> str:
    return f'<span class="number">{value}</span>'


def chart(name: str, description: str) -> str:
    return f'<img src="{name}" alt="{escape(description)} Les chiffres sont dans le tableau.">'


def details(summary: str, content: str) -> str:
    """A long table folded away, opened with a click (no script)."""
    return f"<details><summary>{escape(summary)}</summary>\n{content}\n</details>"


def todo(text: str) -> str:
    return f'<p class="todo"><strong>Que faire :</strong> {text}</p>'


def section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}">\n<h2>{escape(title)}</h2>\n{body}\n</section>'


SECTIONS = [
    ("activite", "Activité"),
    ("demandes", "Ce que demandent les patients"),
    ("urgences", "Orientations urgentes"),
    ("sans-reponse", "Questions sans bonne réponse"),
    ("questionnaire", "Questionnaire des signes d'alerte"),
    ("canaux", "Canaux"),
]


def dashboard_page(
    stats: Stats,
    filters: List[str],
    threshold: float,
    titles: Dict[str, str],
    linked: Iterable[str],
    now: datetime | None = None,
) -> str:
    """The page. `titles`: knowledge entry id -> title; `linked`: the pseudonyms that have a
    transcript page beside this one; `now`: the time of the export."""
    now = (now or datetime.now()).astimezone()
    period = (
        f"du {french_day(stats.first_day)} au {french_day(stats.last_day)}"
        if stats.first_day and stats.last_day
        else "aucune conversation"
    )
    header = (
        "<h1>Tableau de bord des conversations</h1>\n"
        f'<p class="meta">Période : {period} · filtres : {escape(", ".join(filters) or "aucun")} · '
        f"export du {now.strftime('%d/%m/%Y à %H:%M')}, heures locales du serveur "
        f"({escape(now.tzname() or '')}). Une conversation est une session dans laquelle le patient "
        "a écrit ; elle compte le jour de son premier message. Les patients sont pseudonymisés.</p>\n"
    )
    if not stats.conversations:
        body = header + "<p>Aucune conversation sur la période.</p>"
        return document("Tableau de bord des conversations", body, STYLE)
    nav = (
        "<nav><ul>"
        + "".join(f'<li><a href="#{anchor}">{escape(title)}</a></li>' for anchor, title in SECTIONS)
        + "</ul></nav>"
    )
    panels = [
        activity_panel(stats),
        asked_panel(stats, titles),
        referrals_panel(stats, set(linked)),
        unanswered_panel(stats, threshold),
        questionnaire_panel(stats),
        channels_panel(stats),
    ]
    body = (
        header
        + nav
        + "\n"
        + "\n".join(
            section(anchor, title, panel)
            for (anchor, title), panel in zip(SECTIONS, panels, strict=True)
        )
    )
    return document("Tableau de bord des conversations", body, STYLE)


def activity_panel(stats: Stats) -> str:
    figures = (
        '<ul class="figures">'
        f"<li><strong>{stats.conversations}</strong> conversations</li>"
        f"<li><strong>{stats.messages}</strong> messages des patients</li>"
        f"<li><strong>{decimal(stats.median_messages or 0).removesuffix(',00')}</strong> messages par "
        "conversation (médiane)</li>"
        f"<li><strong>{decimal(stats.median_minutes or 0)}</strong> minutes par conversation (médiane)</li>"
        "</ul>"
    )
    rows = [
        (french_day(day), number(count), number(stats.messages_per_day[day]))
        for day, count in stats.conversations_per_day.items()
        if count or stats.messages_per_day[day]
    ]
    return (
        figures
        + chart(ACTIVITY_PNG, "Graphique : conversations et messages des patients par jour.")
        + details(
            "Chiffres par jour",
            table(
                "Par jour (les jours sans activité sont omis)",
                ["Jour", "Conversations", "Messages des patients"],
                rows,
            ),
        )
        + todo(
            "une baisse brutale peut venir d'une panne (vérifiez le widget et le serveur) ; une "
            "hausse, d'une campagne d'information : prévoyez de relire plus de conversations."
        )
    )


def asked_panel(stats: Stats, titles: Dict[str, str]) -> str:
    intents = table(
        "Intentions les plus fréquentes (hors réponses au questionnaire et messages non compris)",
        ["Intention", "Messages"],
        [(f"<code>{escape(name)}</code>", number(count)) for name, count in stats.intents],
    )
    entries = table(
        "Fiches de la base de connaissances les plus données",
        ["Fiche", "Titre", "Fois"],
        [
            (
                f"<code>{escape(entry)}</code>",
                escape(titles.get(entry, "(fiche retirée)")),
                number(count),
            )
            for entry, count in stats.entries
        ],
    )
    kinds = (
        table(
            "Genres de réponse (<code>answer_kind</code>)",
            ["Genre", "Réponses"],
            [
                (escape(ANSWER_KINDS.get(kind, kind)), number(count))
                for kind, count in stats.answer_kinds
            ],
        )
        if stats.answer_kinds
        else ""
    )
    return (
        (
            chart(INTENTS_PNG, "Graphique : les intentions les plus fréquentes.")
            if stats.intents
            else ""
        )
        + intents
        + (chart(ENTRIES_PNG, "Graphique : les fiches les plus données.") if stats.entries else "")
        + entries
        + kinds
        + todo(
            "les sujets les plus demandés méritent les fiches les plus soignées : relisez-les en "
            "priorité avec l'équipe médicale, et ajoutez-y des boutons vers les questions voisines."
        )
    )


def referrals_panel(stats: Stats, linked: set) -> str:
    total = len(stats.referrals)
    by_level = {level: sum(r.level == level for _, r in stats.referrals) for level in URGENT_LEVELS}
    figures = (
        '<ul class="figures">'
        + "".join(
            f"<li><strong>{by_level[level]}</strong> {escape(LEVELS[level])}</li>"
            for level in URGENT_LEVELS
        )
        + "</ul>"
    )
    last, referred, everyone = stats.ended_after_referral, stats.with_referral, stats.conversations
    ended = (
        f"<p>{last} des {referred} conversations avec une orientation urgente "
        f"({percent(last, referred)}) se sont terminées juste après elle (le patient n'a plus rien "
        f"écrit), soit {percent(last, everyone)} des {everyone} conversations.</p>"
    )
    days = [
        (
            french_day(day),
            *(number(counts[level]) for level in URGENT_LEVELS),
            number(sum(counts.values())),
        )
        for day, counts in stats.referrals_per_day.items()
        if sum(counts.values())
    ]
    per_day = table(
        "Par jour (jours avec au moins une orientation urgente)",
        ["Jour", *(escape(LEVELS[level]) for level in URGENT_LEVELS), "Total"],
        days,
    )

    def link(name: str) -> str:
        shown = escape(name)
        return f'<a href="{shown}.html">{shown}</a>' if name in linked else shown

    each = table(
        "Chaque orientation urgente, avec la conversation",
        ["Date et heure", "Niveau", "Conversation"],
        [
            (local_time(r.timestamp), escape(LEVELS[r.level]), link(name))
            for name, r in stats.referrals
        ],
    )
    return (
        figures
        + ended
        + (
            chart(REFERRALS_PNG, "Graphique : orientations urgentes par jour et par niveau.")
            if total
            else ""
        )
        + details("Chiffres par jour", per_day)
        + each
        + todo(
            "relisez chaque conversation avec une orientation urgente (lien) : le message urgent "
            "était-il justifié, est-il arrivé au bon moment ? Un signe d'alerte sans orientation, vu "
            "dans une autre conversation, se signale tout de suite à l'équipe technique."
        )
    )


def group_row(number_: int, group: WordingGroup) -> Tuple[str, ...]:
    wordings = group.wordings()
    shown = "".join(
        f"<li>{escape(text)}{f' (×{count})' if count > 1 else ''}</li>"
        for text, count in wordings[:WORDINGS_SHOWN]
    )
    more = (
        f"<li>… et {len(wordings) - WORDINGS_SHOWN} autre(s)</li>"
        if len(wordings) > WORDINGS_SHOWN
        else ""
    )
    intents = ", ".join(f"<code>{escape(name)}</code> ({count})" for name, count in group.intents())
    return (
        str(number_),
        f'<ul class="wordings">{shown}{more}</ul>',
        number(len(group.messages)),
        *(number(group.count(reason)) for reason in REASONS),
        intents,
    )


def unanswered_panel(stats: Stats, threshold: float) -> str:
    figures = (
        '<ul class="figures">'
        f"<li><strong>{stats.unanswered_count()}</strong> messages en {len(stats.unanswered)} groupes</li>"
        + "".join(
            f"<li><strong>{stats.unanswered_count(reason)}</strong> {escape(label.lower())}</li>"
            for reason, label in REASONS.items()
        )
        + "</ul>"
    )
    explained = (
        "<p>Les messages que l'assistant n'a pas compris (<code>nlu_fallback</code> ou réponse par "
        "défaut), ceux auxquels il a honnêtement répondu qu'il n'avait pas l'information, et ceux "
        f"compris avec une confiance sous {decimal(threshold)} ; regroupés par formulation proche, les "
        f'groupes les plus fréquents d\'abord. Tous les messages, à étiqueter : <a href="{CSV_NAME}">'
        f"{CSV_NAME}</a>.</p>"
    )
    shown = stats.unanswered[:GROUPS_SHOWN]
    rest = len(stats.unanswered) - len(shown)
    groups = table(
        "Groupes de messages, les plus fréquents d'abord"
        + (f" ({GROUPS_SHOWN} premiers ; les {rest} autres sont dans {CSV_NAME})" if rest else ""),
        [
            "Groupe",
            "Formulations",
            "Messages",
            *(escape(label) for label in REASONS.values()),
            "Intentions prédites",
        ],
        [group_row(n, group) for n, group in enumerate(shown, start=1)],
    )
    return (
        figures
        + explained
        + groups
        + todo(
            f"ouvrez <code>{CSV_NAME}</code> dans Excel et, pour chaque groupe, décidez : une "
            "intention existante mal reconnue (remplissez <code>intention_correcte</code> : ces "
            "messages deviendront des exemples d'entraînement), ou une question sans fiche "
            "(écrivez-le dans <code>commentaire</code> : l'équipe de contenu rédigera la fiche "
            "depuis l'article relu). Commencez par le haut : un groupe fréquent aide beaucoup de patients."
        )
    )


def questionnaire_panel(stats: Stats) -> str:
    total = sum(stats.questionnaires.values())
    rows = [
        (escape(OUTCOMES[outcome]), number(count), count_of(count, total))
        for outcome, count in stats.questionnaires.items()
    ]
    return (
        f"<p>{total} questionnaire(s) commencé(s).</p>"
        + (
            chart(QUESTIONNAIRE_PNG, "Graphique : comment les questionnaires se sont terminés.")
            if total
            else ""
        )
        + table("Fin des questionnaires", ["Fin", "Questionnaires", "Part"], rows)
        + todo(
            "beaucoup de questionnaires « sans fin » ou « arrêtés » : relisez ces conversations "
            "(make transcripts) pour voir à quelle question les patients décrochent, et proposez "
            "une formulation plus simple à l'équipe clinique."
        )
    )


def channels_panel(stats: Stats) -> str:
    rows = [
        (escape(CHANNELS[name]), number(count), count_of(count, stats.conversations))
        for name, count in stats.channels.items()
    ]
    return (
        chart(CHANNELS_PNG, "Graphique : conversations par canal.")
        + table(
            "Conversations par canal (celui du premier message)",
            ["Canal", "Conversations", "Part"],
            rows,
        )
        + todo(
            "un canal qui tombe à zéro alors qu'il était utilisé signale souvent une panne de ce "
            "canal (widget, page Messenger) : prévenez l'équipe technique."
        )
    )
