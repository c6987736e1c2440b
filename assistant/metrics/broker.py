"""Rasa's event broker interface, used to count the turns' outcomes and to serve /metrics.

Named in both endpoints files (`event_broker: type: assistant.metrics.broker.MetricsEventBroker`);
the tracker store hands it each new event once stored (assistant/stores/sql.py). /metrics is
served on its own port, METRICS_PORT on METRICS_HOST (default 127.0.0.1), never through the
public entry point: operators scrape each server directly (docs/deployment.md). Without
METRICS_PORT nothing is served, and counting goes on.
"""

from __future__ import annotations

import logging
import os
from asyncio import AbstractEventLoop
from typing import Any, Dict

from prometheus_client import start_http_server
from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from assistant.metrics.counters import TurnOutcomes

logger = logging.getLogger(__name__)

DEFAULTS = {
    "fallback_responses": ["utter_default"],
    "honest_gap_responses": ["utter_hors_sujet"],
    "unavailable_responses": ["utter_service_indisponible"],
}


class MetricsEventBroker(EventBroker):
    def __init__(self, **responses: Any) -> None:
        settings = {**DEFAULTS, **responses}
        self.outcomes = TurnOutcomes(
            settings["fallback_responses"],
            settings["honest_gap_responses"],
            settings["unavailable_responses"],
        )

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: AbstractEventLoop | None = None
    ) -> MetricsEventBroker:
        serve_metrics(os.environ.get("METRICS_PORT"), os.environ.get("METRICS_HOST", "127.0.0.1"))
        return cls(**{k: v for k, v in broker_config.kwargs.items() if k in DEFAULTS})

    def publish(self, event: Dict[str, Any]) -> None:
        self.outcomes.count(event)


def serve_metrics(port: str | None, host: str) -> bool:
    """Serves /metrics on host:port in a thread; a busy port is logged, not fatal: the
    patients' conversations matter more than the operators' counts."""
    if not port:
        return False
    try:
        start_http_server(int(port), addr=host)
    except (OSError, ValueError) as error:
        logger.error("Metrics not served on %s:%s: %s", host, port, error)
        return False
    logger.info("Metrics served on http://%s:%s/metrics", host, port)
    return True
