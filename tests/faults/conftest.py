"""The fault tests restart PostgreSQL under a test's feet: the database fixture's own
connection must survive that, so it checks its connection before use."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_ADMIN_URL, _tcp_open


@pytest.fixture
def pg_url():
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


def pytest_terminal_summary(terminalreporter):
    """The scenario table: one row per scenario the session ran, whatever pytest's -s says,
    so that a run shows what was injected and what the checker saw, not only pass or fail."""
    from tests.faults.checker import ROWS, table

    if ROWS:
        terminalreporter.write_sep("=", "fault scenarios")
        for line in table(ROWS):
            terminalreporter.write_line(line)
