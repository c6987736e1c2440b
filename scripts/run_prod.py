"""make run-prod: the production profile on one machine: nginx on :5005 in front of
RASA_SERVERS Rasa servers (PostgreSQL tracker store, Redis lock store), the action server
on 127.0.0.1:5055 and the widget's demo page on :8080. Ctrl-C stops everything."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.servers import REPO, VENV_BIN, Assistant, current_model, read_dotenv  # noqa: E402

# Settings for this machine's PostgreSQL and Redis; any of them can be set in the environment.
DEFAULTS = {
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
}


def production_env() -> dict:
    return {key: os.environ.get(key, default) for key, default in DEFAULTS.items()}


def main() -> int:
    env = production_env()
    token = os.environ.get("RASA_AUTH_TOKEN") or read_dotenv()["RASA_AUTH_TOKEN"]
    assistant = Assistant(
        current_model(), rasa_port=5005, action_port=5055, servers=int(env["RASA_SERVERS"]),
        endpoints=REPO / "endpoints.prod.yml", token=token, work_dir=REPO / "var" / "prod", extra_env=env,
    )
    page = subprocess.Popen([str(VENV_BIN / "python"), "web/serve.py", "--port", "8080",
                             "--rasa-url", "http://localhost:5005"], cwd=REPO)
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    try:
        assistant.start()
        print(f"\n  Production profile up: nginx http://127.0.0.1:5005 -> Rasa on {assistant.server_ports},")
        print(f"  PostgreSQL {env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DB']},"
              f" Redis {env['REDIS_HOST']}:{env['REDIS_PORT']}/{env['REDIS_DB']}.")
        print("  Demo page: http://localhost:8080/   Stop: Ctrl-C.\n")
        while not stop["now"]:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        page.terminate()
        assistant.stop()
        print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
