"""compose.yaml and the Dockerfile, checked as far as a machine without a Docker engine can."""

import importlib.util
import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import REPO
from zhibiao.plumbing.config import Settings

COMPOSE_TEXT = (REPO / "compose.yaml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
WORKERS = ("ingest", "extract", "store", "gateway")
# What an operator must give `docker compose up`; anything left unset must stop it (F9).
COMPOSE_SECRETS = {
    "RABBITMQ_PASSWORD": "Rq7-broker-test-pw",
    "POSTGRES_PASSWORD": "Pg7-database-test-pw",
    "ZHIBIAO_API_TOKEN": "compose-test-token-0f9e8d7c6b5a",
    "S3_SECRET_KEY": "S3-secret-test-key",
}
_VARIABLE = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")


def _resolve(value: str) -> str:
    """A compose value with its ${...} filled in: defaults as written, required ones from COMPOSE_SECRETS."""
    return _VARIABLE.sub(lambda m: COMPOSE_SECRETS[m[1]] if m[2] == "?" else (m[3] or ""), value)


def docker_compose_config(env: dict[str, str]) -> subprocess.CompletedProcess:
    """`docker-compose config` (Debian's, v1) on compose.yaml, with only `env` for variables."""
    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.skip("docker-compose is not installed (.ci/apt-packages.txt lists it)")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "ZHIBIAO_", "RABBITMQ_", "POSTGRES_"))}
    return subprocess.run(
        [tool, "-f", str(REPO / "compose.yaml"), "config"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **env},
        cwd=REPO.parent,
    )


def test_every_service_command_is_a_module_that_exists():
    for name in WORKERS:
        command = COMPOSE["services"][name]["command"]
        assert command[:2] == ["python", "-m"]
        assert importlib.util.find_spec(command[2]) is not None, command


def test_workers_can_be_scaled():
    for name in WORKERS:
        svc = COMPOSE["services"][name]
        assert "container_name" not in svc
        if name != "gateway":
            assert "ports" not in svc


def test_workers_wait_for_healthy_broker_and_database():
    for name in ("rabbitmq", "postgres"):
        assert "healthcheck" in COMPOSE["services"][name]
    for name in WORKERS:
        deps = COMPOSE["services"][name]["depends_on"]
        assert {"rabbitmq", "postgres"} <= set(deps)
        assert all(dep == {"condition": "service_healthy"} for dep in deps.values())
        assert all("healthcheck" in COMPOSE["services"][dep] for dep in deps)


def test_every_variable_set_is_one_the_settings_read():
    known = {f"ZHIBIAO_{name.upper()}" for name in Settings.model_fields}
    for name in WORKERS:
        env = COMPOSE["services"][name]["environment"]
        unknown = {k for k in env if k.startswith("ZHIBIAO_")} - known
        assert not unknown, (name, unknown)
    rabbit = COMPOSE["services"]["rabbitmq"]["environment"]
    assert rabbit["RABBITMQ_DEFAULT_USER"] != "guest"


def test_production_settings_from_compose_are_accepted():
    env = COMPOSE["services"]["store"]["environment"]
    resolved = {k[len("ZHIBIAO_") :].lower(): _resolve(v) for k, v in env.items() if k.startswith("ZHIBIAO_")}
    assert resolved["environment"] == "production"
    Settings(**resolved)


def test_compose_ships_no_default_secrets():
    assert "change-me" not in COMPOSE_TEXT
    used = {m[1]: m[2] for m in _VARIABLE.finditer(COMPOSE_TEXT)}
    for secret in COMPOSE_SECRETS:
        assert used.get(secret) == "?", f"${{{secret}}} must be required (${{{secret}:?...}}), not defaulted"


def test_compose_refuses_to_start_without_the_secrets():
    for missing in COMPOSE_SECRETS:
        done = docker_compose_config({k: v for k, v in COMPOSE_SECRETS.items() if k != missing})
        assert done.returncode != 0 and missing in done.stderr, (missing, done.stderr)


def test_dockerfile_installs_the_package_and_runs_unprivileged():
    text = (REPO / "Dockerfile").read_text()
    assert "pip install" in text and "USER zhibiao" in text


def test_compose_file_passes_docker_compose_validation():
    """docker-compose (Debian's, v1) checks the file against the Compose specification's schema
    and resolves it, which needs no engine; `up` itself cannot run on this machine."""
    done = docker_compose_config(COMPOSE_SECRETS)
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)
    assert set(WORKERS) <= set(resolved["services"])
    env = {
        k[len("ZHIBIAO_") :].lower(): str(v)
        for k, v in resolved["services"]["gateway"]["environment"].items()
        if k.startswith("ZHIBIAO_")
    }
    assert Settings(**env).api_token == COMPOSE_SECRETS["ZHIBIAO_API_TOKEN"]
