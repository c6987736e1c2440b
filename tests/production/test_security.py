"""Security of the production profile."""

import os
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from deploy.processes import Proxy, free_port
from deploy.settings import PROJECT, read_dotenv
from tests.retention_checks import check_retention
from tools.client import new_sender


def listening_addresses(port):
    output = subprocess.run(
        ["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    return {line.split()[3].rsplit(":", 1)[0] for line in output.splitlines()}


def test_the_http_api_needs_the_token_through_the_proxy(production):
    url = f"{production.url}/conversations/{new_sender()}/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"token": "nope"}, timeout=10).status_code == 401
    assert requests.get(url, params={"token": production.token}, timeout=10).status_code == 200


def test_servers_listen_on_loopback_only(production):
    for port in [production.action_port, production.rasa_port, *production.server_ports]:
        assert listening_addresses(port) == {"127.0.0.1"}, port


def test_no_patient_text_in_the_logs(production, client):
    marker = f"marqueur{uuid.uuid4().hex[:10]}"
    client.send(f"{marker} j'ai mal au dos depuis hier", new_sender())
    client.send(f"{marker} c'est quoi une IRM ?", new_sender())
    for process in [production.actions, *production.servers]:
        assert marker not in process.log_path.read_text(errors="replace"), process.name


def test_secrets_are_not_committed():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert ".env" not in tracked
    secret_keys = ("RASA_AUTH_TOKEN", "TRANSCRIPT_PSEUDONYM_KEY")
    secrets = [
        value for key, value in read_dotenv().items() if key in secret_keys or key.startswith("FB_")
    ]
    for path in tracked:
        file = PROJECT / path
        if file.is_file() and file.stat().st_size < 2_000_000:
            text = file.read_text(errors="ignore")
            assert not any(secret in text for secret in secrets), path


def test_purge_deletes_old_conversations_in_postgresql(
    production, client, database, production_settings
):
    env = {**os.environ, **production_settings}
    check_retention(client, database, PROJECT / "endpoints.prod.yml", env)


def test_a_burst_on_the_webhooks_is_limited_per_client(production, tmp_path):
    limits = {"WEBHOOK_RATE": "1r/s", "WEBHOOK_BURST": "5"}
    proxy = Proxy(free_port(), production.server_ports, tmp_path, limits)
    proxy.start()
    url = f"http://127.0.0.1:{proxy.port}/webhooks/rest/webhook"

    def send(_):
        body = {"sender": new_sender(), "message": "bonjour"}
        return requests.post(url, json=body, timeout=60).status_code

    try:
        with ThreadPoolExecutor(30) as pool:
            codes = list(pool.map(send, range(30)))
    finally:
        proxy.stop()
    assert set(codes) <= {200, 429}
    assert codes.count(200) >= 6 and codes.count(429) >= 15, codes


def test_bodies_over_1_mb_are_refused_by_the_proxy(production):
    body = b"{" + b" " * 2_000_000 + b"}"
    url = f"{production.url}/webhooks/rest/webhook"
    answer = requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == 413


def test_the_proxy_serves_the_widget_files(production):
    for name, kind in (("metastases-chat.js", "javascript"), ("metastases-chat.css", "css")):
        answer = requests.get(f"{production.url}/widget/{name}", timeout=10)
        assert answer.status_code == 200 and kind in answer.headers["Content-Type"]
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    texts = requests.get(f"{production.url}/widget/metastases-chat-texts.js", timeout=10)
    assert "maxMessageChars" in texts.text
