"""paragraphs: a stored tsvector on PostgreSQL

Revision ID: 0003
Revises: 0002

Measured on the 19 sample reports (1667 paragraphs): the planner never chose the
expression index of 0002 (it prices array_to_tsvector as cheap) and rebuilt every
paragraph's tsvector per query, ~32 ms a scan. A stored generated column makes a scan
about a millisecond and gives the GIN index a plain column. SQLite is unchanged.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PG_TSV = "array_to_tsvector(string_to_array(btrim(tokens), ' '))"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_paragraphs_tokens_tsv")
    op.execute(f"ALTER TABLE paragraphs ADD COLUMN tokens_tsv tsvector GENERATED ALWAYS AS ({PG_TSV}) STORED")
    op.execute("CREATE INDEX ix_paragraphs_tokens_tsv ON paragraphs USING gin (tokens_tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_paragraphs_tokens_tsv")
    op.execute("ALTER TABLE paragraphs DROP COLUMN tokens_tsv")
    op.execute(f"CREATE INDEX ix_paragraphs_tokens_tsv ON paragraphs USING gin (({PG_TSV}))")
