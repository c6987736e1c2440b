"""Rasa's Redis lock store, checking for its turn every 50 ms instead of every second.

A conversation's messages take numbered tickets in Redis, and every ticket expires after
TICKET_LOCK_LIFETIME seconds. When a server dies holding a ticket, the next one becomes current
only between the dead ticket's expiry and its own, a window as short as the gap between the
two messages: polling once a second can miss it, and the message then waits until Rasa gives
up. Polling every 50 ms catches it.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncGenerator

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

POLL_SECONDS = 0.05


class PromptRedisLockStore(RedisLockStore):
    """Named `stores.locks.PromptRedisLockStore` in endpoints.prod.yml."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa builds custom lock stores from their endpoint configuration.
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_SECONDS,
    ) -> AsyncGenerator[TicketLock, None]:
        async with super().lock(
            conversation_id, lock_lifetime, wait_time_in_seconds
        ) as ticket_lock:
            yield ticket_lock
