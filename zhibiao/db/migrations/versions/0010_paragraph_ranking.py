"""paragraphs: a tsvector with positions on PostgreSQL, to rank search candidates

Revision ID: 0010
Revises: 0009

At 10,000 documents (bench/bench_archive.py) a two-word search matched ~17,000 paragraphs and
computed the exact BM25 of each in SQL (string replaces over their tokens), ~500 ms. Search
now lets the database pick the best few hundred candidates with its own ranking in C and
computes the exact score of those alone. SQLite's FTS5 table (0009) ranks by bm25() already;
PostgreSQL's tokens_tsv (0003) holds each token once, without positions, so ts_rank could not
count a token twice nor see words side by side: this column holds the same tokens with their
positions. It ranks only; matching stays on tokens_tsv and its GIN index. 'simple' lowercases
and cuts a token with punctuation (3.5) into parts, which is close enough for ranking.

STORAGE MAIN keeps it in the heap row (up to a page), which the match reads anyway: the
matching paragraphs are long, their tsvector (~2.9 kB, Chinese tokens barely compress) went
out of line to TOAST, and fetching it back was ~130 of the ranking query's ~180 ms at 10,000
documents. It is set in the statement that adds the column: SET STORAGE applies only to
values written after it.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE paragraphs ADD COLUMN tokens_ranked tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED, "
        "ALTER COLUMN tokens_ranked SET STORAGE MAIN"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE paragraphs DROP COLUMN tokens_ranked")
