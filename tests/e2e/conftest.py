"""The stack on each database, for e2e tests that do not need one of their own."""

from __future__ import annotations

import pytest

from tests.e2e.stack import Stack


@pytest.fixture(params=["sqlite", "postgresql"])
def stack(request, tmp_path, namespace):
    url = f"sqlite:///{tmp_path}/zhibiao.db" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    s = Stack(tmp_path, namespace=namespace, database_url=url).start_all()
    yield s
    s.stop()
