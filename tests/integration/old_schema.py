"""A database at an older migration, to store rows as an older store did before upgrading it."""

from __future__ import annotations

from alembic import command
from sqlalchemy.engine import Engine

from zhibiao.db.engine import make_engine
from zhibiao.db.migrate import alembic_config


def engine_at(database_url: str, revision: str) -> Engine:
    """A writer engine on the database migrated to `revision` only."""
    engine = make_engine(database_url, writer=True)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return engine
