"""compose.yaml and the Dockerfile, checked as far as a machine without a Docker engine can."""

import importlib.util

import yaml

from tests.conftest import REPO
from zhibiao.config import Settings

COMPOSE = yaml.safe_load((REPO / "compose.yaml").read_text())
WORKERS = ("ingest", "extract", "store", "gateway")


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
    resolved = {k[len("ZHIBIAO_"):].lower(): v.replace("${RABBITMQ_USER:-zhibiao}", "zhibiao")
                .replace("${RABBITMQ_PASSWORD:-change-me}", "pw").replace("${POSTGRES_PASSWORD:-change-me}", "pw")
                .replace("${ZHIBIAO_API_TOKEN:-change-me}", "t") for k, v in env.items()}
    Settings(**resolved)


def test_dockerfile_installs_the_package_and_runs_unprivileged():
    text = (REPO / "Dockerfile").read_text()
    assert "pip install" in text and "USER zhibiao" in text


def test_compose_file_passes_docker_compose_validation(tmp_path):
    """docker-compose (Debian's, v1) checks the file against the Compose specification's schema
    and resolves it, which needs no engine; `up` itself cannot run on this machine."""
    import os
    import shutil
    import subprocess

    import pytest

    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.skip("docker-compose is not installed (.ci/apt-packages.txt lists it)")
    env = {**os.environ, "S3_ACCESS_KEY": "zhibiao", "S3_SECRET_KEY": "zhibiao-secret"}
    done = subprocess.run([tool, "-f", str(REPO / "compose.yaml"), "config"], check=False, capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)
    assert set(WORKERS) <= set(resolved["services"])
