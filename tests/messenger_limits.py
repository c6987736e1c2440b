"""Messenger's limits on one Send API `message` object (developers.facebook.com, Send API)."""

from typing import Any, Dict, List

MAX_TEXT = 2000
MAX_TEMPLATE_TEXT = 640
MAX_TEMPLATE_BUTTONS = 3
MAX_QUICK_REPLIES = 13
MAX_TITLE = 20


def problems_with(message: Dict[str, Any]) -> List[str]:
    problems = []
    if "text" in message and len(message["text"]) > MAX_TEXT:
        problems.append(f"text of {len(message['text'])} characters")
    if "text" in message and not message["text"].strip():
        problems.append("empty text")
    replies = message.get("quick_replies", [])
    if len(replies) > MAX_QUICK_REPLIES:
        problems.append(f"{len(replies)} quick replies")
    problems += [
        f"quick reply title {r['title']!r}" for r in replies if len(r["title"]) > MAX_TITLE
    ]
    template = message.get("attachment", {}).get("payload", {})
    if template.get("template_type") == "button":
        if len(template["text"]) > MAX_TEMPLATE_TEXT:
            problems.append(f"button template text of {len(template['text'])} characters")
        if not 1 <= len(template["buttons"]) <= MAX_TEMPLATE_BUTTONS:
            problems.append(f"{len(template['buttons'])} buttons in a template")
        problems += [
            f"button title {b['title']!r}"
            for b in template["buttons"]
            if len(b["title"]) > MAX_TITLE
        ]
    return problems
