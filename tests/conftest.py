"""Shared fixtures: where things are, and isolated broker namespaces and databases."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SHARED = REPO.parent / "shared"
PG_ADMIN_URL = os.environ.get("ZHIBIAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
AMQP_URL = os.environ.get("ZHIBIAO_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")


def _tcp_open(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def namespace():
    """A broker namespace of its own: queues and exchanges are deleted afterwards."""
    from zhibiao.plumbing.bus import delete_topology
    from zhibiao.plumbing.config import Settings

    if not _tcp_open("127.0.0.1", 5672):
        pytest.fail("RabbitMQ is not running on 127.0.0.1:5672 (scripts/ensure-rabbitmq.sh starts it)")
    ns = f"t{uuid.uuid4().hex[:10]}."
    yield ns
    from pika.exceptions import AMQPError

    with contextlib.suppress(AMQPError, OSError):  # a test that stopped the broker leaves nothing to delete
        delete_topology(Settings(amqp_url=AMQP_URL, namespace=ns))


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database for one test, dropped afterwards. The admin connection
    checks itself before use: the fault tests restart PostgreSQL under a test's feet."""
    from sqlalchemy import create_engine, text

    if not _tcp_open("127.0.0.1", 5432):
        pytest.fail("PostgreSQL is not running on 127.0.0.1:5432 (scripts/ensure-postgres.sh starts it)")
    name = f"zb_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each store test runs on both databases the product supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/zhibiao.db"
    return request.getfixturevalue("pg_url")
