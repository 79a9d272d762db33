"""indexes for the whole archive: SQLite full-text search, facts by region and period

Revision ID: 0009
Revises: 0008

At 10,000 documents (bench/bench_archive.py) search on SQLite looked for " token " in every
paragraph's tokens, and facts by region and period read the whole facts table. SQLite gets
an FTS5 table over the paragraphs' jieba tokens (external content: the tokens are stored
once, in paragraphs; triggers keep the index in step, cascaded deletes included), which
search and term counts ask instead; PostgreSQL already has its GIN index on the tsvector of
the same tokens (0003). Both get facts (region, period).
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# unicode61 splits on spaces and punctuation: a jieba token is one FTS token (or, for a token
# such as 3.5, a phrase of its parts); the reads check the exact " token " on what FTS finds.
_FTS = [
    (
        "CREATE VIRTUAL TABLE paragraphs_fts USING fts5(tokens, content='paragraphs', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')"
    ),
    (
        "CREATE TRIGGER paragraphs_fts_insert AFTER INSERT ON paragraphs BEGIN "
        "INSERT INTO paragraphs_fts(rowid, tokens) VALUES (new.id, new.tokens); END"
    ),
    (
        "CREATE TRIGGER paragraphs_fts_delete AFTER DELETE ON paragraphs BEGIN "
        "INSERT INTO paragraphs_fts(paragraphs_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END"
    ),
    (
        "CREATE TRIGGER paragraphs_fts_update AFTER UPDATE ON paragraphs BEGIN "
        "INSERT INTO paragraphs_fts(paragraphs_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
        "INSERT INTO paragraphs_fts(rowid, tokens) VALUES (new.id, new.tokens); END"
    ),
    "INSERT INTO paragraphs_fts(paragraphs_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    op.create_index("ix_facts_region_period", "facts", ["region", "period"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in _FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS paragraphs_fts_{name}")
        op.execute("DROP TABLE IF EXISTS paragraphs_fts")
    op.drop_index("ix_facts_region_period", table_name="facts")
