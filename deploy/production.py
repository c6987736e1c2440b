"""make run-prod: the production profile on one machine: nginx on :5005 in front of
RASA_SERVERS Rasa servers (PostgreSQL tracker store, Redis lock store), the action server
on 127.0.0.1:5055 and the widget's demo page on :8080. Ctrl-C stops everything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from deploy.processes import Assistant, current_model
from deploy.settings import PROJECT, production_env, read_dotenv


def main() -> int:
    env = production_env()
    token = os.environ.get("RASA_AUTH_TOKEN") or read_dotenv()["RASA_AUTH_TOKEN"]
    assistant = Assistant(
        current_model(),
        rasa_port=5005,
        action_port=5055,
        servers=int(env["RASA_SERVERS"]),
        endpoints=PROJECT / "endpoints.prod.yml",
        token=token,
        work_dir=PROJECT / "var" / "prod",
        extra_env=env,
    )
    page = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "web.serve",
            "--port",
            "8080",
            "--rasa-url",
            "http://localhost:5005",
        ],
        cwd=PROJECT,
    )
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    try:
        assistant.start()
        print(
            f"\n  Production profile up: nginx http://127.0.0.1:5005 -> Rasa on {assistant.server_ports},"
        )
        print(
            f"  PostgreSQL {env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DB']},"
            f" Redis {env['REDIS_HOST']}:{env['REDIS_PORT']}/{env['REDIS_DB']}."
        )
        metrics = ", ".join(assistant.metrics_url(i) for i in range(len(assistant.servers)))
        print(f"  Metrics (Prometheus, one per server): {metrics}")
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
