"""documents.text compressed with lz4 on PostgreSQL

Revision ID: 0015
Revises: 0014

/v1/terms counts a term in the text of every document holding its words, and that text is
stored compressed (TOAST): decompressing it was most of a first ask. lz4 decompresses faster
than PostgreSQL's own pglz at about the same size: counting a term in 3,000 reports (164 MB)
took 257 ms against 606 (`bench/bench_archive.py` measures the whole query). PostgreSQL 14
and later, where the server was built with lz4; elsewhere nothing changes.

Only texts written from now on are compressed with lz4: PostgreSQL keeps a stored value as it
is, through an UPDATE or a VACUUM FULL, so an existing archive gains as its documents are
extracted again.
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return bool(
        bind.exec_driver_sql(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        ).scalar()
    )


def upgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE documents ALTER COLUMN text SET COMPRESSION lz4")


def downgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE documents ALTER COLUMN text SET COMPRESSION pglz")
