"""The Kubernetes manifests give Rasa what endpoints.prod.yml and credentials.yml read, and
keep secrets out of the repository. Builds every overlay with `kubectl kustomize` (offline);
schema validation and checkov run in tools/make/check_kubernetes.sh."""

import re
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List, Set

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
OVERLAYS = sorted((ROOT / "deploy" / "kubernetes" / "overlays").iterdir())
READ_FILES = ("endpoints.prod.yml", "credentials.yml")
VARIABLE = re.compile(r"\$\{(\w+)\}")

pytestmark = pytest.mark.skipif(
    shutil.which("kubectl") is None, reason="kubectl is missing: make kubectl installs it"
)


def build(overlay: Path) -> List[Dict]:
    output = subprocess.run(
        ["kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone", str(overlay)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [doc for doc in yaml.safe_load_all(output) if doc]


def find(docs: List[Dict], kind: str, name: str) -> Dict:
    matches = [d for d in docs if d["kind"] == kind and d["metadata"]["name"].startswith(name)]
    assert len(matches) == 1, f"{kind} {name}: {len(matches)} found"
    return matches[0]


def container_env(docs: List[Dict], deployment: str) -> Set[str]:
    """The names of the variables the container gets, its ConfigMaps' keys included."""
    container = find(docs, "Deployment", deployment)["spec"]["template"]["spec"]["containers"][0]
    names = {variable["name"] for variable in container.get("env", [])}
    for source in container.get("envFrom", []):
        config_map = find(docs, "ConfigMap", source["configMapRef"]["name"])
        names |= set(config_map["data"])
    return names


@pytest.fixture(scope="module", params=OVERLAYS, ids=lambda p: p.name)
def docs(request):
    return build(request.param)


def test_there_are_overlays_for_external_and_in_cluster_databases():
    assert {p.name for p in OVERLAYS} == {"hospital", "demo"}


def test_rasa_gets_every_variable_its_files_read(docs):
    read = set()
    for name in READ_FILES:
        read |= set(VARIABLE.findall((ROOT / name).read_text()))
    assert {"POSTGRES_HOST", "REDIS_HOST", "FB_APP_SECRET", "SOCKETIO_CORS_ORIGINS"} <= read
    missing = read - container_env(docs, "rasa")
    assert not missing, f"endpoints.prod.yml or credentials.yml read {missing}"


def test_rasa_reads_the_repositorys_own_files(docs):
    config = find(docs, "ConfigMap", "rasa-config")["data"]
    for name in READ_FILES:
        assert config[name] == (ROOT / name).read_text()
    quiet = find(docs, "ConfigMap", "rasa-env")["data"]
    assert quiet["RASA_TELEMETRY_ENABLED"] == "false"


def test_the_settings_point_at_the_services_and_ports_of_the_manifests(docs):
    settings = find(docs, "ConfigMap", "settings")["data"]
    actions = find(docs, "Service", "actions")
    assert settings["ACTION_ENDPOINT_URL"] == (
        f"http://actions:{actions['spec']['ports'][0]['port']}/webhook"
    )
    rasa = find(docs, "Deployment", "rasa")["spec"]["template"]
    ports = {p["name"]: p["containerPort"] for p in rasa["spec"]["containers"][0]["ports"]}
    assert str(ports["metrics"]) == settings["METRICS_PORT"]
    assert rasa["metadata"]["annotations"]["prometheus.io/port"] == settings["METRICS_PORT"]


def test_secrets_are_referenced_never_committed(docs):
    assert not [d for d in docs if d["kind"] == "Secret"]
    rasa = find(docs, "Deployment", "rasa")["spec"]["template"]["spec"]["containers"][0]
    from_secrets = {v["name"] for v in rasa["env"] if "secretKeyRef" in v.get("valueFrom", {})}
    assert {"RASA_AUTH_TOKEN", "POSTGRES_PASSWORD", "FB_APP_SECRET"} <= from_secrets
    for config_map in (d for d in docs if d["kind"] == "ConfigMap"):
        assert not {"RASA_AUTH_TOKEN", "POSTGRES_PASSWORD", "FB_APP_SECRET"} & set(
            config_map["data"]
        )


def test_socketio_sticks_to_one_server_through_a_cookie(docs):
    annotations = find(docs, "Ingress", "assistant")["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"


def test_only_the_demo_runs_its_own_databases(docs):
    stateful = {d["metadata"]["name"] for d in docs if d["kind"] == "StatefulSet"}
    settings = find(docs, "ConfigMap", "settings")["data"]
    if stateful:
        assert stateful == {"postgresql", "redis"}
        assert settings["POSTGRES_HOST"] == "postgresql" and settings["REDIS_HOST"] == "redis"
    else:
        assert settings["POSTGRES_HOST"].endswith(".invalid")


def test_no_secret_on_a_command_line(docs):
    for kind in ("Deployment", "CronJob"):
        for doc in (d for d in docs if d["kind"] == kind):
            text = str(doc["spec"])
            assert "$(RASA_AUTH_TOKEN)" not in text and "--auth-token" not in text, doc["metadata"]
