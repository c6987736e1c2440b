"""make purge on the embedded SQLite store, with conversations a real Rasa wrote."""

import os

import sqlalchemy as sa
import yaml

from tests.retention_checks import check_retention


def test_purge_deletes_old_conversations_and_keeps_recent_ones(assistant, client, tmp_path):
    database = assistant.work_dir / "trackers.db"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(database)}})
    )
    check_retention(client, sa.create_engine(f"sqlite:///{database}"), endpoints, dict(os.environ))
