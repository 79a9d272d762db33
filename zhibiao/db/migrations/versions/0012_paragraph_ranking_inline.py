"""paragraphs: the ranking tsvector (0010) kept in the row on PostgreSQL, not in TOAST

Revision ID: 0012
Revises: 0011

At 10,000 documents (bench/bench_archive.py) a two-word search ranks ~16,400 matching
paragraphs with ts_rank over tokens_ranked. Those are long paragraphs: their tsvector (~2.9 kB,
Chinese tokens barely compress) went out of line to the TOAST table, and fetching it back (a
TOAST index probe and a page each, scattered over 1.2 GB) was ~130 of the query's ~180 ms;
ts_rank itself ~45 ms. STORAGE MAIN keeps it in the heap row (up to a page), which the match
reads anyway. SET STORAGE applies only to values written after it, so the column is added
again with it set in the same statement: the table is rewritten once (minutes at 10,000
documents). SQLite is unchanged.
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# as 0010 wrote it: migrations are frozen, this is not read from the models
_RANKED = "tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE paragraphs DROP COLUMN tokens_ranked")
    # one statement: the storage is set before the rewrite that computes the new column
    op.execute(
        f"ALTER TABLE paragraphs ADD COLUMN tokens_ranked {_RANKED}, ALTER COLUMN tokens_ranked SET STORAGE MAIN"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE paragraphs DROP COLUMN tokens_ranked")
    op.execute(f"ALTER TABLE paragraphs ADD COLUMN tokens_ranked {_RANKED}")
