"""Run the Alembic migrations to head, from code (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine

_MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant works: it only has to be the same for every store copy.
_PG_LOCK = 7_352_901


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to head. Several store copies may start at once: on PostgreSQL
    an advisory lock makes them take turns."""
    cfg = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
