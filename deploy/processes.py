"""Starts the action server and one or more Rasa servers as subprocesses, on their own ports
and tracker store, and stops them cleanly."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Sequence

import requests
import yaml

from actions.caller_check import ENV_VARIABLE as ACTION_TOKEN_VARIABLE
from actions.caller_check import HEADER
from deploy.settings import PRODUCTION_DEFAULTS, PROJECT, VENV_BIN, quiet_env, read_dotenv
from web.serve import export_widget

NGINX = "/usr/sbin/nginx"
NGINX_TEMPLATE = Path(__file__).resolve().with_name("nginx.conf.template")


def current_model(project: Path = PROJECT) -> Path:
    """The trained model for the current data of `project` (trains it if needed)."""
    output = subprocess.run(
        [str(project / "tools" / "make" / "train_if_needed.sh")],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    )
    return project / output.stdout.strip().splitlines()[-1]


class Process:
    """A subprocess with its log file, stopped with SIGTERM then SIGKILL."""

    def __init__(
        self,
        name: str,
        command: List[str],
        env: Dict[str, str],
        log_dir: Path,
        cwd: Path = PROJECT,
    ) -> None:
        self.name = name
        self.cwd = cwd
        self.command = command
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        # The child keeps its own copy of the log's descriptor. The log and whatever the child
        # writes (the SQLite tracker store) are for this user only.
        descriptor = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with open(descriptor, "ab") as log:
            self.popen = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                umask=0o077,
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
    def pid(self) -> int:
        if self.popen is None:
            raise RuntimeError(f"{self.name} was not started")
        return self.popen.pid

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, size: int) -> str:
        """What the process logged after the log had `size` bytes."""
        if not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as handle:
            handle.seek(size)
            return handle.read().decode(errors="replace")


class Assistant:
    """The action server and Rasa, as `make run` starts them (one Rasa server, SQLite), or as
    `make run-prod` does (several Rasa servers on endpoints.prod.yml behind nginx).

    `project` is the checkout whose code runs: this one, or another commit's (make bench
    BASELINE=...), started from its own folder so that its packages come first."""

    def __init__(
        self,
        model: Path,
        rasa_port: int | None = None,
        action_port: int | None = None,
        servers: int = 1,
        endpoints: Path | None = None,
        token: str | None = None,
        work_dir: Path | None = None,
        extra_env: Dict[str, str] | None = None,
        cors_origins: Sequence[str] = ("http://localhost:8080", "http://127.0.0.1:8080"),
        project: Path = PROJECT,
    ) -> None:
        self.model = model
        self.project = project
        self.rasa_port = rasa_port or free_port()  # the public port: Rasa itself, or nginx
        self.action_port = action_port or free_port()
        self.server_ports = (
            [self.rasa_port] if servers == 1 else [free_port() for _ in range(servers)]
        )
        self.token = token or secrets.token_hex(24)
        self.work_dir = Path(work_dir or tempfile.mkdtemp(prefix="assistant-"))
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.work_dir.chmod(0o700)
        self.cors_origins = list(cors_origins)
        self.env = {
            # The secret the action server requires of Rasa (actions/caller_check.py), unless
            # the settings give one.
            ACTION_TOKEN_VARIABLE: secrets.token_hex(24),
            **os.environ,
            **quiet_env(),
            **read_dotenv(),
            "SOCKETIO_CORS_ORIGINS": ",".join(self.cors_origins),
            **(extra_env or {}),
            # The action server started here, whatever the settings say.
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.action_port}/webhook",
        }
        self.endpoints = endpoints or self._embedded_endpoints()
        self.actions = Process(
            f"actions-{self.action_port}",
            [
                str(VENV_BIN / "rasa"),
                "run",
                "actions",
                "--port",
                str(self.action_port),
                "--actions",
                "actions",
            ],
            {**self.env, "SANIC_HOST": "127.0.0.1"},
            self.work_dir,
            project,
        )
        # Each server serves its own /metrics (assistant/metrics/broker.py).
        self.metrics_ports = [free_port() for _ in self.server_ports]
        self.servers = [
            Process(
                f"rasa-{port}",
                self._rasa_command(port),
                {
                    **self.env,
                    "METRICS_PORT": str(metrics_port),
                    "METRICS_HOST": "127.0.0.1",
                    # Read by metastases-rasa: never on the command line (assistant/rasa_fixes).
                    "RASA_AUTH_TOKEN": self.token,
                },
                self.work_dir,
                project,
            )
            for port, metrics_port in zip(self.server_ports, self.metrics_ports, strict=True)
        ]
        self.proxy = (
            None
            if servers == 1
            else Proxy(self.rasa_port, self.server_ports, self.work_dir, proxy_limits(self.env))
        )

    @property
    def rasa(self) -> Process:
        """The Rasa server (the first one, with several)."""
        return self.servers[0]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def server_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.server_ports[index]}"

    def metrics_url(self, index: int = 0) -> str:
        return f"http://127.0.0.1:{self.metrics_ports[index]}/metrics"

    def _embedded_endpoints(self) -> Path:
        """The project's endpoints.yml with this run's action server and SQLite file."""
        endpoints = yaml.safe_load((self.project / "endpoints.yml").read_text())
        # The secret in the file too: the Rasa of another commit (make bench BASELINE=...) may
        # not add it from the environment (assistant/rasa_fixes/action_token.py).
        endpoints["action_endpoint"] = {
            "url": f"{self.action_url}/webhook",
            "headers": {HEADER: self.env[ACTION_TOKEN_VARIABLE]},
        }
        endpoints["tracker_store"]["db"] = str(self.work_dir / "trackers.db")
        path = self.work_dir / "endpoints.yml"
        path.write_text(yaml.safe_dump(endpoints))
        return path

    def _rasa_command(self, port: int) -> List[str]:
        return [
            str(VENV_BIN / "python"),
            "-m",
            "assistant.rasa_fixes",
            "run",
            "--model",
            str(self.model),
            "--enable-api",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
            "--endpoints",
            str(self.endpoints),
            "--credentials",
            str(self.project / "credentials.yml"),
            "--cors",
            *self.cors_origins,
        ]

    def start(self, timeout: float = 240) -> Assistant:
        try:
            self.start_actions()
            for port, server in zip(self.server_ports, self.servers, strict=True):
                _require_free_port(port)
                server.start()
            for index in range(len(self.servers)):
                self.wait_for_rasa(timeout, index)
            if self.proxy:
                self.proxy.start()
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

    def wait_for_rasa(self, timeout: float = 240, index: int = 0) -> None:
        url = f"{self.server_url(index)}/status?token={self.token}"
        wait_until(lambda: _ok(url), timeout, self.servers[index])

    def stop(self) -> None:
        if self.proxy:
            self.proxy.stop()
        for server in self.servers:
            server.stop()
        self.actions.stop()

    def __enter__(self) -> Assistant:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Proxy:
    """nginx in front of several Rasa servers, from nginx.conf.template."""

    def __init__(
        self, port: int, server_ports: List[int], work_dir: Path, limits: Dict[str, str]
    ) -> None:
        self.port = port
        self.prefix = work_dir / "nginx"
        for folder in ("", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.prefix / folder).mkdir(parents=True, exist_ok=True)
        # The widget's public files, where nginx's unprivileged workers can read them (the
        # work folder is for this user only).
        self.widget = Path(tempfile.mkdtemp(prefix="metastases-widget-"))
        self.widget.chmod(0o755)
        for path in export_widget(self.widget):
            path.chmod(0o644)
        self.config = self.prefix / "nginx.conf"
        self.config.write_text(
            render_nginx_config(f"127.0.0.1:{port}", server_ports, self.prefix, limits, self.widget)
        )
        self.process = Process(
            f"nginx-{port}", [NGINX, "-c", str(self.config), "-p", str(self.prefix)], {}, work_dir
        )

    def start(self, timeout: float = 20) -> None:
        if not Path(NGINX).exists():
            raise RuntimeError(
                f"nginx is missing ({NGINX}): make nginx (apt-get install -y nginx-light)"
            )
        _require_free_port(self.port)
        self.process.start()
        wait_until(lambda: _listening(self.port), timeout, self.process)

    def stop(self) -> None:
        self.process.stop()
        shutil.rmtree(self.widget, ignore_errors=True)


def render_nginx_config(
    listen: str, server_ports: List[int], prefix: Path, limits: Dict[str, str], widget: Path
) -> str:
    """The nginx configuration; `limits` holds WEBHOOK_RATE ("10r/s") and WEBHOOK_BURST."""
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in server_ports
    )
    template = string.Template(NGINX_TEMPLATE.read_text())
    return template.safe_substitute(
        LISTEN=listen,
        PREFIX=str(prefix),
        REST_SERVERS=servers,
        SOCKETIO_SERVERS=servers,
        WIDGET_DIR=str(widget),
        WEBHOOK_RATE=limits["WEBHOOK_RATE"],
        WEBHOOK_BURST=limits["WEBHOOK_BURST"],
    )


def proxy_limits(env: Dict[str, str]) -> Dict[str, str]:
    """nginx's per-client limits, from the environment or the production defaults."""
    return {
        key: env.get(key) or PRODUCTION_DEFAULTS[key] for key in ("WEBHOOK_RATE", "WEBHOOK_BURST")
    }


def free_port() -> int:
    """A port nothing listens on now, so that test runs never meet each other's servers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _require_free_port(port: int) -> None:
    """Refuses to start beside a server left over on the same port: tests would talk to it."""
    if _listening(port):
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
