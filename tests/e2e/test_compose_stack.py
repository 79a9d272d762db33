"""compose.yaml's own configuration, run as `docker compose up --scale extract=4` would run it,
minus the containers (this machine has no Docker engine): the environment each service gets
is what `docker-compose config` resolves from the file, with the compose network's host names
pointed at this machine's RabbitMQ (as a non-guest user, in a virtual host of its own),
PostgreSQL (as the role `zhibiao`, in a fresh database) and moto's S3 server. Production
mode, the broker user, the S3 credentials, JSON logs and four extract copies must all work."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import PG_ADMIN_URL, SAMPLES
from tests.e2e.stack import Stack, free_port, upload
from tests.s3server import start_moto
from tests.unit.test_deployment import COMPOSE_SECRETS, docker_compose_config

REPORTS = (
    "hangzhou-2022-work-report.txt",
    "binjiang-2020-work-report.md",
    "hangzhou-2023-work-report.txt",
    "hangzhou-2020-work-report.md",
    "guangdong-2025.docx",
)
EXTRACT_COPIES = 4


def compose_services() -> dict:
    """The services as `docker-compose config` resolves them, given the secrets an operator must set."""
    done = docker_compose_config(COMPOSE_SECRETS)
    assert done.returncode == 0, done.stderr
    import yaml

    return yaml.safe_load(done.stdout)["services"]


def rabbitmqctl(*args: str) -> str:
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("rabbitmqctl is not on this machine")
    done = subprocess.run(["rabbitmqctl", *args], check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def to_host(url: str, netloc_host: str, port: int, path: str | None = None) -> str:
    """The same URL (user, password, scheme) at another host and port, and maybe another path."""
    parts = urlsplit(url)
    credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit(
        (
            parts.scheme,
            f"{credentials}{netloc_host}:{port}",
            parts.path if path is None else path,
            parts.query,
            parts.fragment,
        )
    )


@pytest.fixture
def broker_user():
    """compose's broker user (as the RabbitMQ image creates it from RABBITMQ_DEFAULT_USER/PASS)
    in a virtual host of its own; both deleted afterwards, with everything in the host."""
    amqp = urlsplit(compose_services()["extract"]["environment"]["ZHIBIAO_AMQP_URL"])
    vhost = f"zhibiao-compose-{uuid.uuid4().hex[:8]}"
    if amqp.username in rabbitmqctl("list_users", "--quiet").split():  # left by an interrupted run
        rabbitmqctl("delete_user", amqp.username)
    rabbitmqctl("add_user", amqp.username, amqp.password)
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, amqp.username, ".*", ".*", ".*")
    yield vhost
    rabbitmqctl("delete_user", amqp.username)
    rabbitmqctl("delete_vhost", vhost)


@pytest.fixture
def compose_database():
    """A fresh database owned by the role compose's PostgreSQL image creates (POSTGRES_USER)."""
    from sqlalchemy import create_engine, text

    name = f"zb_compose_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = 'zhibiao'")).first():
            password = COMPOSE_SECRETS["POSTGRES_PASSWORD"]
            conn.execute(text(f"CREATE ROLE zhibiao LOGIN PASSWORD '{password}'"))
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER zhibiao'))
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not conn.execute(
            text("SELECT 1 FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = 'zhibiao')")
        ).first():
            conn.execute(text("DROP ROLE IF EXISTS zhibiao"))
    admin.dispose()


@pytest.mark.e2e
def test_compose_configuration_runs_with_four_extract_copies(tmp_path, broker_user, compose_database):
    services = compose_services()
    env = {k: str(v) for k, v in services["extract"]["environment"].items()}
    gateway_env = {k: str(v) for k, v in services["gateway"]["environment"].items()}
    assert env["ZHIBIAO_ENVIRONMENT"] == "production" and "guest" not in env["ZHIBIAO_AMQP_URL"]

    s3, s3_env = start_moto()
    # the compose network's names, pointed at this machine; nothing else of the file changes
    env.update(
        {
            "ZHIBIAO_AMQP_URL": to_host(env["ZHIBIAO_AMQP_URL"], "127.0.0.1", 5672, path="/" + broker_user),
            "ZHIBIAO_DATABASE_URL": to_host(
                env["ZHIBIAO_DATABASE_URL"], "127.0.0.1", 5432, path="/" + compose_database
            ),
            "AWS_ENDPOINT_URL": s3_env["AWS_ENDPOINT_URL"],
            "ZHIBIAO_NAMESPACE": "",
        }
    )
    stack = Stack(tmp_path, namespace="", database_url=env["ZHIBIAO_DATABASE_URL"], extra_env=env)
    # each container has its own metrics port 9100; processes on one machine need one each
    metrics_ports = []

    def start(name: str) -> None:
        metrics_ports.append(free_port())
        stack.env["ZHIBIAO_METRICS_PORT"] = str(metrics_ports[-1])
        stack.start(name)

    try:
        for name in ("store", "ingest", *["extract"] * EXTRACT_COPIES):
            start(name)
        stack.env.update(
            {"ZHIBIAO_HTTP_HOST": "127.0.0.1", "ZHIBIAO_HTTP_PORT": str(stack.port), "ZHIBIAO_METRICS_PORT": "0"}
        )
        assert gateway_env["ZHIBIAO_HTTP_HOST"] == "0.0.0.0"  # inside its container; here loopback
        stack.start("gateway")
        stack.wait_ready()

        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=env["AWS_ENDPOINT_URL"],
            region_name=env["AWS_DEFAULT_REGION"],
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        )
        bucket, prefix = urlsplit(env["ZHIBIAO_BUCKET_URL"]).netloc, urlsplit(env["ZHIBIAO_BUCKET_URL"]).path.strip("/")
        for i, name in enumerate(REPORTS[:4]):
            client.put_object(Bucket=bucket, Key=f"{prefix}/{i}-{name}", Body=(SAMPLES / name).read_bytes())
        # production refuses writes without the token, and takes them with it
        with pytest.raises(Exception, match="401"):
            upload(stack.base, "x.txt", b"x", token="wrong")
        status, _ = upload(stack.base, "上传.txt", (SAMPLES / REPORTS[4]).read_bytes(), token=env["ZHIBIAO_API_TOKEN"])
        assert status == 202

        docs = stack.wait_processed(5, timeout=180)
        assert all(d["status"] == "done" for d in docs), (docs, stack.logs())
        assert "上传.txt" in {d["source_name"] for d in docs}
        logs = {p.name: p.read_text() for p in tmp_path.glob("extract-*.log")}
        busy = [name for name, text in logs.items() if '"extracted' in text]
        assert len(logs) == EXTRACT_COPIES and len(busy) >= 2, stack.logs()
        for line in logs[busy[0]].splitlines():
            json.loads(line)  # ZHIBIAO_LOG_FORMAT=json: one object a line
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_ports[2]}/metrics", timeout=5) as r:
            assert b"zhibiao_" in r.read()
    finally:
        stack.stop()
        s3.stop()
