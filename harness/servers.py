"""Starts the action server and one or more Rasa servers as subprocesses, on their own ports
and tracker store, and stops them cleanly."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

import requests
import yaml

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
QUIET_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONWARNINGS": "ignore",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "LOG_LEVEL_LIBRARIES": "ERROR",
}


def read_dotenv(path: Path = REPO / ".env") -> Dict[str, str]:
    values = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
    return values


def current_model() -> Path:
    """The trained model for the current data (trains it if needed)."""
    output = subprocess.run(
        [str(REPO / "scripts" / "train_if_needed.sh")],
        cwd=REPO, check=True, capture_output=True, text=True,
    )
    return REPO / output.stdout.strip().splitlines()[-1]


class Process:
    """A subprocess with its log file, stopped with SIGTERM then SIGKILL."""

    def __init__(self, name: str, command: List[str], env: Dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.popen: Optional[subprocess.Popen] = None

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.popen = subprocess.Popen(
            self.command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self, kill: bool = False) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


class Assistant:
    """An action server and a Rasa server, as `make run` starts them, on chosen ports."""

    def __init__(
        self,
        model: Path,
        rasa_port: int = 15005,
        action_port: int = 15055,
        tracker_store: Optional[Dict] = None,
        lock_store: Optional[Dict] = None,
        token: Optional[str] = None,
        work_dir: Optional[Path] = None,
        extra_env: Optional[Dict[str, str]] = None,
    ) -> None:
        self.model = model
        self.rasa_port = rasa_port
        self.action_port = action_port
        self.token = token or secrets.token_hex(24)
        self.work_dir = Path(work_dir or tempfile.mkdtemp(prefix="assistant-"))
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.tracker_store = tracker_store or {
            "type": "SQL", "dialect": "sqlite", "db": str(self.work_dir / "trackers.db"),
        }
        self.lock_store = lock_store
        self.env = {**os.environ, **QUIET_ENV, **read_dotenv(), **(extra_env or {})}
        self.actions = Process(
            f"actions-{action_port}",
            [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(action_port), "--actions", "actions"],
            {**self.env, "SANIC_HOST": "127.0.0.1"},
            self.work_dir,
        )
        self.rasa = Process(f"rasa-{rasa_port}", self._rasa_command(), self.env, self.work_dir)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def _rasa_command(self) -> List[str]:
        endpoints = {
            "action_endpoint": {"url": f"http://127.0.0.1:{self.action_port}/webhook"},
            "tracker_store": self.tracker_store,
        }
        if self.lock_store:
            endpoints["lock_store"] = self.lock_store
        endpoints_path = self.work_dir / f"endpoints-{self.rasa_port}.yml"
        endpoints_path.write_text(yaml.safe_dump(endpoints))
        return [
            str(VENV_BIN / "rasa"), "run", "--model", str(self.model), "--enable-api",
            f"--auth-token={self.token}", "--interface", "127.0.0.1", "--port", str(self.rasa_port),
            "--endpoints", str(endpoints_path), "--credentials", str(REPO / "credentials.yml"),
            "--cors", "http://localhost:8080",
        ]

    def start(self, timeout: float = 180) -> "Assistant":
        try:
            self.start_actions()
            _require_free_port(self.rasa_port)
            self.rasa.start()
            self.wait_for_rasa(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def start_actions(self, timeout: float = 60) -> None:
        _require_free_port(self.action_port)
        self.actions.start()
        wait_until(lambda: _ok(f"{self.action_url}/health"), timeout, self.actions)

    def stop_actions(self) -> None:
        self.actions.stop()

    def wait_for_rasa(self, timeout: float = 180) -> None:
        wait_until(lambda: _ok(f"{self.url}/status?token={self.token}"), timeout, self.rasa)

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()

    def __enter__(self) -> "Assistant":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _require_free_port(port: int) -> None:
    """Refuses to start beside a server left over on the same port: tests would talk to it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"Port {port} is already in use; stop what listens there first")


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def wait_until(ready, timeout: float, process: Process) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if not process.running:
            raise RuntimeError(f"{process.name} exited:\n{process.log_tail()}")
        time.sleep(0.5)
    raise TimeoutError(f"{process.name} not ready after {timeout} s:\n{process.log_tail()}")
