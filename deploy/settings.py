"""Where the project is, and the settings every process starts with: the quiet Rasa
environment (deploy/rasa.env), the local secrets (.env) and the production defaults."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Dict

PROJECT = Path(__file__).resolve().parent.parent
# The interpreter's own folder: `rasa` and the console scripts of this project live there.
VENV_BIN = Path(sys.executable).parent
RASA_ENV = Path(__file__).resolve().with_name("rasa.env")
DOTENV = PROJECT / ".env"

# Production settings for this machine's PostgreSQL and Redis; any of them can be set in the
# environment (docs/deployment.md).
PRODUCTION_DEFAULTS = {
    "POSTGRES_HOST": "127.0.0.1",
    "POSTGRES_PORT": "5432",
    "POSTGRES_DB": "metastases",
    "POSTGRES_USER": "postgres",
    "POSTGRES_PASSWORD": "",
    "REDIS_HOST": "127.0.0.1",
    "REDIS_PORT": "6379",
    "REDIS_DB": "0",
    "RASA_SERVERS": "2",
    "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
    # A server that dies holding a conversation's lock releases it after this many seconds
    # (Rasa's default, 60 s, stalls that conversation for a minute); a message takes < 1 s.
    "TICKET_LOCK_LIFETIME": "10",
    # nginx's limit per client address on the webhooks and socket.io: a patient sends far less;
    # a flood gets 429 (deploy/nginx.conf.template).
    "WEBHOOK_RATE": "10r/s",
    "WEBHOOK_BURST": "40",
}


def read_dotenv(path: Path = DOTENV) -> Dict[str, str]:
    """KEY=VALUE lines; comments and blank lines skipped."""
    values = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
    return values


def quiet_env() -> Dict[str, str]:
    return read_dotenv(RASA_ENV)


def production_env() -> Dict[str, str]:
    return {key: os.environ.get(key, default) for key, default in PRODUCTION_DEFAULTS.items()}
