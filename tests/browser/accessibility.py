"""Accessibility checks of a page in Chromium: axe-core's WCAG 2.1 A and AA rules run inside
the page (web/node_modules/axe-core, locked in web/package-lock.json), and the accessibility
tree as Chromium gives it to screen readers (the DevTools protocol's Accessibility domain)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterator, List

from playwright.sync_api import Page

from web.check_vendor import AXE

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Runs axe on the whole document (the widget's open shadow root included) and keeps what a
# failure message needs.
_RUN_AXE = """
tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(result => ({
    violations: result.violations.map(rule => ({
      id: rule.id, impact: rule.impact, help: rule.help,
      nodes: rule.nodes.map(node => ({target: node.target, html: node.html, summary: node.failureSummary})),
    })),
    passed: result.passes.map(rule => rule.id),
  }))
"""


def run_axe(page: Page) -> Dict[str, list]:
    # Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays on.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(_RUN_AXE, AXE_TAGS)


def assert_no_axe_violations(page: Page, state: str) -> List[str]:
    """Fails with every violated rule and node; returns the rules that passed."""
    result = run_axe(page)
    report = "\n".join(
        f"- {rule['id']} ({rule['impact']}): {rule['help']}\n"
        + "\n".join(f"    {node['target']}: {node['summary']}" for node in rule["nodes"])
        for rule in result["violations"]
    )
    assert not result["violations"], f"axe, state '{state}':\n{report}"
    return result["passed"]


@dataclass
class AxNode:
    """A node of Chromium's accessibility tree, ignored nodes left out (their children kept)."""

    role: str
    name: str
    properties: Dict[str, object]
    children: List[AxNode] = field(default_factory=list)

    def walk(self) -> Iterator[AxNode]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, role: str, name: str | None = None) -> List[AxNode]:
        return [
            node
            for node in self.walk()
            if node.role == role and (name is None or node.name == name)
        ]

    def one(self, role: str, name: str | None = None) -> AxNode:
        found = self.find(role, name)
        assert len(found) == 1, f"{len(found)} node(s) {role} {name!r}: {self.outline()}"
        return found[0]

    @property
    def text(self) -> str:
        """The text a screen reader reads inside this node, spaces collapsed."""
        words = " ".join(node.name for node in self.walk() if node.role == "StaticText")
        return " ".join(words.split())

    def outline(self, depth: int = 0) -> str:
        line = f"\n{'  ' * depth}{self.role} {self.name!r}"
        return line + "".join(child.outline(depth + 1) for child in self.children)


def ax_tree(page: Page) -> AxNode:
    """The page's full accessibility tree, as Chromium computes it."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    by_id = {node["nodeId"]: node for node in nodes}

    def build(raw: dict) -> List[AxNode]:
        children = [kid for child in raw.get("childIds", []) for kid in build(by_id[child])]
        if raw.get("ignored"):
            return children
        properties = {
            prop["name"]: prop["value"].get("value") for prop in raw.get("properties", [])
        }
        return [
            AxNode(
                (raw.get("role") or {}).get("value", ""),
                (raw.get("name") or {}).get("value", ""),
                properties,
                children,
            )
        ]

    roots = [node for node in nodes if not node.get("parentId")]
    (root,) = [kid for raw in roots for kid in build(raw)]
    return root
