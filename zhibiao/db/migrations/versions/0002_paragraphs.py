"""paragraphs for full-text search

Revision ID: 0002
Revises: 0001

On PostgreSQL a GIN index holds the tokens as a tsvector built from the stored tokens
themselves (array_to_tsvector), not from a text-search parser: no dictionary or locale
can split or alter a Chinese word differently from jieba. SQLite matches " token " with
LIKE over the same column. Documents stored before this revision get their paragraphs when
they are processed again: a migration is frozen, so it calls no live code (jieba's
segmentation), and no deployment held documents from before it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PG_TSV = "array_to_tsvector(string_to_array(btrim(tokens), ' '))"


def upgrade() -> None:
    op.create_table(
        "paragraphs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.Column("token_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("paragraphs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paragraphs_document_id"), ["document_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_paragraphs_tokens_tsv ON paragraphs USING gin (({PG_TSV}))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_paragraphs_tokens_tsv")
    with op.batch_alter_table("paragraphs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paragraphs_document_id"))
    op.drop_table("paragraphs")
