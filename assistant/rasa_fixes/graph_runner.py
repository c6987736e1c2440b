"""Runs the model's prediction graph in a fixed order, worked out once per set of targets.

Rasa 3.6 runs the NLU and dialogue graph of every message through dask's synchronous
scheduler: for each run it extracts the minimal sub-graph again, builds a dask graph, lets
dask order it, and formats a debug message holding the whole tracker even when debug logs
are off. Together 10% of a Rasa server's CPU under load, outside the components themselves
(py-spy, docs/benchmarks.md). This runner calls the same nodes with the same inputs: each
node after the nodes it needs, their `(name, output)` pairs in the order the schema lists
them, as dask does. tests/unit/test_rasa_fixes.py compares its results with Rasa's runner.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Tuple

import rasa.core.processor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner

from assistant.rasa_fixes import policy_states

logger = logging.getLogger(__name__)

# For each node to run: its name and the names of what it needs, in the schema's order.
Plan = List[Tuple[str, List[str]]]


class OrderedGraphRunner(DaskGraphRunner):
    """Rasa's runner with the nodes called in a precomputed order instead of through dask."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: Dict[Tuple[str, ...], Plan] = {}

    def run(
        self, inputs: Dict[str, Any] | None = None, targets: List[str] | None = None
    ) -> Dict[str, Any]:
        run_targets = list(targets) if targets else self._graph_schema.target_names
        plan = self._plan(tuple(run_targets))
        results: Dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and (value in results or any(value == n for n, _ in plan)):
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none of "
                    f"the input names passed to the `run` method are the same as node names "
                    f"in the graph schema."
                )
            results[name] = (name, value)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(f"Running graph with inputs: {inputs}, targets: {targets}.")
        # Inside a run the policies keep the states' replay on the tracker (policy_states).
        with policy_states.one_run():
            try:
                for name, needs in plan:
                    if name in results:  # an input named like a node replaces it, as with dask
                        continue
                    # A need that is neither a node nor an input is passed as it is, as dask does.
                    arguments = [results.get(need, need) for need in needs]
                    results[name] = self._instantiated_nodes[name](*arguments)
            except RuntimeError as error:
                raise GraphRunError("Error running runner.") from error
        return dict(results[target] for target in run_targets)

    def _plan(self, targets: Tuple[str, ...]) -> Plan:
        plan = self._plans.get(targets)
        if plan is None:
            plan = self._plans[targets] = _ordered(
                self._graph_schema.minimal_graph_schema(list(targets)), targets
            )
        return plan


def _ordered(schema: GraphSchema, targets: Tuple[str, ...]) -> Plan:
    """The schema's nodes, each after the nodes it needs (depth first from the targets)."""
    plan: Plan = []
    placed: set = set()

    def place(name: str) -> None:
        if name in placed or name not in schema.nodes:
            return
        placed.add(name)
        needs = list(schema.nodes[name].needs.values())
        for need in needs:
            place(need)
        plan.append((name, needs))

    for target in targets:
        place(target)
    return plan


def apply() -> None:
    rasa.core.processor.DaskGraphRunner = OrderedGraphRunner
