"""Deployment files say only true things: each file valid against its schema, every variable a setting,
every command real, every metric on the dashboard one the workers export, no root."""

import json
import re
import shlex
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import typer
import yaml
from prometheus_client import REGISTRY
from pydantic import AliasChoices

from shared.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
PUENTE_IMAGE_SERVICES = {"migrate", "api", "matcher", "webhooks"}
K8S_VERSION = "1.32.0"


def _setting_names() -> set[str]:
    names: set[str] = set()
    prefix = Settings.model_config.get("env_prefix", "")
    for field_name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(str(choice) for choice in alias.choices)
        elif isinstance(alias, str):
            names.add(alias)
        else:
            names.add(f"{prefix}{field_name}".upper())
    return names


SETTINGS = _setting_names()


def _interpolated(value: object) -> str:
    """A compose value as the container sees it with nothing set in the shell (`${VAR:-default}` → default)."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))


def _settings_from(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


@pytest.fixture(scope="module")
def manifests() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted(K8S.glob("*.yaml")):
        docs.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return docs


def _of_kind(manifests: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in manifests if doc["kind"] == kind}


def _containers(pod: dict[str, Any]) -> list[dict[str, Any]]:
    return [*pod.get("initContainers", []), *pod["containers"]]


def _pod_specs(manifests: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        doc["metadata"]["name"]: doc["spec"]["template"]["spec"]
        for doc in manifests
        if doc["kind"] in {"Deployment", "Job", "StatefulSet", "CronJob"}
    }


def _dockerfile_stages() -> list[list[str]]:
    """Instructions per stage, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    stages: list[list[str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line)
    return stages


def _instruction(stage: list[str], name: str) -> list[str]:
    return [line[len(name) + 1 :].strip() for line in stage if line.upper().startswith(name + " ")]


def _cli_commands() -> set[str]:
    from services.cli.main import app

    group = typer.main.get_command(app)
    return set(group.commands)  # type: ignore[attr-defined]


def _assert_command_exists(argv: list[str], where: str) -> None:
    if argv[0] == "puente":
        assert argv[1] in _cli_commands(), f"{where}: `puente {argv[1]}` is not a command"
        if argv[1] == "worker":
            from services.cli.main import WorkerKind

            assert set(argv[2:]) <= {kind.value for kind in WorkerKind}, f"{where}: {argv}"
    elif argv[0] == "uvicorn":
        assert "--factory" in argv, f"{where}: create_app is a factory"
        module_name, _, attribute = next(a for a in argv[1:] if ":" in a).partition(":")
        module = __import__(module_name, fromlist=[attribute])
        assert callable(getattr(module, attribute)), f"{where}: {module_name}:{attribute}"
    else:
        pytest.fail(f"{where}: unexpected command {argv}")


# --- settings ------------------------------------------------------------------------------------


def test_setting_names_include_the_unprefixed_urls():
    assert {"DATABASE_URL", "REDIS_URL", "PUENTE_BOOTSTRAP_ADMIN_KEY", "PUENTE_LOG_JSON"} <= SETTINGS


def test_compose_sets_only_real_settings_with_valid_values(compose, monkeypatch):
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "api", "matcher", "webhooks", "prometheus", "grafana"}
    for name in PUENTE_IMAGE_SERVICES:
        env: dict[str, Any] = services[name]["environment"]
        unknown = set(env) - SETTINGS
        assert not unknown, f"compose {name}: not settings: {sorted(unknown)}"
        settings = _settings_from({k: _interpolated(v) for k, v in env.items() if v is not None}, monkeypatch)
        assert settings.environment == "production"  # no embedded servers, ever
        assert (settings.host, settings.port, settings.worker_metrics_host) == ("0.0.0.0", 8000, "0.0.0.0")
        assert settings.database_url == "postgresql://puente:puente@postgres:5432/puente"
        assert settings.redis_url == "redis://redis:6379/0"
        assert settings.demo_data is False
        assert settings.bootstrap_admin_key is None  # passed through from the shell only


def test_compose_order_and_commands(compose):
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["migrate"]["command"] == ["puente", "migrate"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["api"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["api"]["command"] == ["puente", "api"]
    assert services["api"]["ports"] == ["127.0.0.1:${PUENTE_PORT:-8000}:${PUENTE_PORT:-8000}"]
    for worker in ("matcher", "webhooks"):
        assert services[worker]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[worker]["command"] == ["puente", "worker", worker]
        check = " ".join(services[worker]["healthcheck"]["test"])
        assert "127.0.0.1:9100/readyz" in check, worker
    for name in PUENTE_IMAGE_SERVICES:
        assert services[name]["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        _assert_command_exists(services[name]["command"], f"compose {name}")


def test_configmap_keys_are_settings_and_parse(manifests, monkeypatch):
    config_maps = _of_kind(manifests, "ConfigMap")
    assert set(config_maps) == {"puente-config"}
    data: dict[str, str] = config_maps["puente-config"]["data"]
    unknown = set(data) - SETTINGS
    assert not unknown, f"ConfigMap keys that are not settings: {sorted(unknown)}"
    assert all(isinstance(value, str) for value in data.values()), "ConfigMap values must be strings"
    secrets = {"DATABASE_URL", "REDIS_URL", "PUENTE_BOOTSTRAP_ADMIN_KEY"}
    assert not secrets & set(data), "secrets belong in the Secret"
    settings = _settings_from(data, monkeypatch)
    assert settings.environment == "production"
    assert settings.demo_data is False
    assert settings.cors_origins == []
    assert settings.host == "0.0.0.0"
    assert settings.port == 8000


def test_example_secret_holds_placeholders_for_real_settings(manifests):
    secrets = _of_kind(manifests, "Secret")
    assert set(secrets) == {"puente-secrets"}
    data: dict[str, str] = secrets["puente-secrets"]["stringData"]
    assert set(data) == {"DATABASE_URL", "REDIS_URL", "PUENTE_BOOTSTRAP_ADMIN_KEY"}
    assert set(data) <= SETTINGS
    assert all("CHANGE-ME" in value for value in data.values())


def test_every_container_env_is_a_setting_from_known_sources(manifests):
    config_maps = _of_kind(manifests, "ConfigMap")
    secret_keys = set(_of_kind(manifests, "Secret")["puente-secrets"]["stringData"])
    pods = _pod_specs(manifests)
    assert set(pods) == {"puente-api", "puente-matcher", "puente-webhooks"}
    for pod_name, pod in pods.items():
        for container in _containers(pod):
            where = f"{pod_name}/{container['name']}"
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in config_maps, where
            for variable in container.get("env", []):
                assert variable["name"] in SETTINGS, f"{where}: {variable['name']} is not a setting"
                ref = variable["valueFrom"]["secretKeyRef"]
                assert ref["name"] == "puente-secrets", where
                assert ref["key"] in secret_keys, where
            names = {v["name"] for v in container.get("env", [])}
            assert "DATABASE_URL" in names, where


def test_containers_run_locked_down_with_resources(manifests):
    for pod_name, pod in _pod_specs(manifests).items():
        assert pod["securityContext"]["runAsNonRoot"] is True, pod_name
        assert pod["securityContext"]["runAsUser"] == 10001, pod_name
        assert pod["automountServiceAccountToken"] is False, pod_name
        for container in _containers(pod):
            where = f"{pod_name}/{container['name']}"
            context = container["securityContext"]
            assert context["runAsNonRoot"] is True, where
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["capabilities"]["drop"] == ["ALL"], where
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), where
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), where
            mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
            assert "/tmp" in mounts, f"{where}: a read-only root needs a writable /tmp"


def test_k8s_commands_exist(manifests):
    expected = {
        "puente-api": ["puente", "api"],
        "puente-matcher": ["puente", "worker", "matcher"],
        "puente-webhooks": ["puente", "worker", "webhooks"],
    }
    for pod_name, pod in _pod_specs(manifests).items():
        (container,) = pod["containers"]
        assert container["command"] == expected[pod_name], pod_name
        _assert_command_exists(container["command"], pod_name)
        (migrate,) = pod["initContainers"]  # every pod migrates first: safe, as test_migrate.py shows
        assert migrate["command"] == ["puente", "migrate"], pod_name


def test_api_probes_service_and_autoscaler(manifests):
    from services.api.health.router import router

    paths = {route.path for route in router.routes}  # type: ignore[attr-defined]
    deployment = _of_kind(manifests, "Deployment")["puente-api"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert {"/readyz", "/healthz"} <= paths
    assert container["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()

    service = _of_kind(manifests, "Service")["puente-api"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"

    hpa = _of_kind(manifests, "HorizontalPodAutoscaler")["puente-api"]
    target = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "puente-api"}
    assert hpa["spec"]["scaleTargetRef"] == target
    assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]

    budget = _of_kind(manifests, "PodDisruptionBudget")["puente-api"]
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert 1 <= budget["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]  # a drain never takes them all


def test_workers_are_probed_and_scraped_on_their_metrics_port(manifests):
    config = _of_kind(manifests, "ConfigMap")["puente-config"]["data"]
    port = int(config["PUENTE_WORKER_METRICS_PORT"])
    assert config["PUENTE_WORKER_METRICS_HOST"] == "0.0.0.0"
    for name in ("puente-matcher", "puente-webhooks"):
        template = _of_kind(manifests, "Deployment")[name]["spec"]["template"]
        (container,) = template["spec"]["containers"]
        assert container["ports"] == [{"name": "metrics", "containerPort": port, "protocol": "TCP"}], name
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}, name
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}, name
        annotations = template["metadata"]["annotations"]
        assert annotations == {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": str(port),
            "prometheus.io/path": "/metrics",
        }


def test_pod_labels_match_selectors(manifests):
    for name, deployment in _of_kind(manifests, "Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items(), name


# --- Dockerfile ----------------------------------------------------------------------------------


def test_dockerfile_is_multi_stage_from_the_lock():
    stages = _dockerfile_stages()
    names = [stage[0].split()[-1] for stage in stages]
    assert names == ["uv", "builder", "runtime"]
    builder = " ".join(stages[1])
    assert "uv sync --frozen --no-dev" in builder
    assert "UV_PROJECT_ENVIRONMENT=/app/.venv" in builder
    text = (DEPLOY / "Dockerfile").read_text()
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in text
    assert stages[2][0] == "FROM ${PYTHON_IMAGE} AS runtime"


def test_dockerfile_runs_as_fixed_non_root_user():
    runtime = _dockerfile_stages()[-1]
    users = _instruction(runtime, "USER")
    assert users, "the runtime stage must set USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert user == "10001"
    assert any("--uid 10001" in line for line in _instruction(runtime, "RUN"))


def test_dockerfile_copies_only_what_exists_and_runs():
    builder, runtime = _dockerfile_stages()[1:]
    for line in _instruction(builder, "COPY"):
        if line.startswith("--from"):
            continue
        *sources, _target = line.split()
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: missing"
    copied = {source for line in _instruction(runtime, "COPY") for source in line.split()[1:-1]}
    assert copied == {
        "/app/.venv", "/app/alembic.ini", "/app/migrations", "/app/shared", "/app/services",
    }  # fmt: skip
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    needed = ("shared", "services", "migrations", "alembic.ini", "pyproject.toml", "uv.lock", "README.md")
    for needed_path in needed:
        assert needed_path not in ignored, needed_path


def test_dockerfile_commands_exist_and_the_console_script_is_defined():
    runtime = _dockerfile_stages()[-1]
    (cmd,) = _instruction(runtime, "CMD")
    argv = json.loads(cmd)
    assert argv == ["puente", "api"]  # PUENTE_HOST / PUENTE_PORT decide where it listens
    _assert_command_exists(argv, "Dockerfile CMD")
    (health,) = _instruction(runtime, "HEALTHCHECK")
    assert "/healthz" in health and "PUENTE_PORT" in health
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["puente"] == "services.cli.main:app"
    assert {"migrate", "worker", "run", "create-key"} <= _cli_commands()
    for line in _instruction(_dockerfile_stages()[1], "RUN"):
        for part in line.split("&&"):
            words = shlex.split(part)
            if words and words[0] == "/app/.venv/bin/puente":
                assert words[1] == "--help"


def test_dockerfile_env_sets_only_real_settings(monkeypatch):
    runtime = _dockerfile_stages()[-1]
    (env_line,) = _instruction(runtime, "ENV")
    pairs = dict(word.split("=", 1) for word in shlex.split(env_line))
    puente = {name: value for name, value in pairs.items() if name.startswith("PUENTE_")}
    assert set(puente) <= SETTINGS
    settings = _settings_from(puente, monkeypatch)
    assert (settings.host, settings.port, settings.log_json, settings.demo_data) == ("0.0.0.0", 8000, True, False)
    assert settings.environment == "production"  # a container without DATABASE_URL/REDIS_URL refuses to start
    assert (settings.worker_metrics_host, settings.worker_metrics_port) == ("0.0.0.0", 9100)
    assert pairs["PATH"].startswith("/app/.venv/bin:")


# --- schemas ---------------------------------------------------------------------------------------


def _compose_errors(document: dict[str, Any]) -> list[str]:
    """Errors against the Compose specification's JSON schema (shipped by check-jsonschema, offline)."""
    schema = json.loads((resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_compose_file_is_valid_compose(compose):
    assert _compose_errors(compose) == []
    broken = {**compose, "services": {**compose["services"], "api": {**compose["services"]["api"], "restrat": "no"}}}
    assert _compose_errors(broken), "the schema check must catch a misspelt key"


def test_every_manifest_is_valid_for_kubernetes(manifests):
    """Strict: an unknown field is an error (kubernetes-validate ships the schemas; no network)."""
    kinds = set()
    for document in manifests:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
        kinds.add(document["kind"])
    assert kinds == {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap", "Secret"}
    deployment = _of_kind(manifests, "Deployment")["puente-api"]
    broken = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)


# --- observability -------------------------------------------------------------------------------


def _exported_metric_names() -> set[str]:
    """Every series the api and the workers can export, as Prometheus names them."""
    import services.matcher.metrics
    import services.webhooks.metrics
    import shared.worker

    assert services.matcher.metrics.RUNS and services.webhooks.metrics.TRIES and shared.worker.QUEUE_DEPTH
    suffixes = ("", "_total", "_bucket", "_count", "_sum")
    return {family.name + suffix for family in REGISTRY.collect() for suffix in suffixes}


def test_the_dashboard_charts_only_metrics_the_workers_export():
    dashboard = json.loads((DEPLOY / "grafana" / "puente-workers.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = {name for expr in exprs for name in re.findall(r"\bpuente_[a-z_]+", expr)}
    assert used, "the dashboard charts nothing"
    assert used - _exported_metric_names() == set()
    wanted = ("match_run", "webhook_deliveries", "retry_backlog", "oldest_pending", "inbound", "queue_depth")
    assert all(any(part in name for name in used) for part in wanted)
    provisioning = yaml.safe_load((DEPLOY / "grafana" / "provisioning" / "dashboards" / "puente.yaml").read_text())
    assert provisioning["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"


def test_prometheus_scrapes_the_api_and_both_workers(compose):
    config = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    targets = {t for job in config["scrape_configs"] for c in job["static_configs"] for t in c["targets"]}
    port = compose["x-puente-environment"]["PUENTE_WORKER_METRICS_PORT"]
    assert targets == {"api:8000", f"matcher:{port}", f"webhooks:{port}"}
