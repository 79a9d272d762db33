"""documents (processed_at): the archive's version, read by a max() on an index

Revision ID: 0011
Revises: 0010

/v1/terms counts a term in the text of every document that writes it (1.5 s at 10,000
documents on PostgreSQL): the gateway keeps each answer while the archive is unchanged, and
asks whether it changed with count(*), max(processed_at) of the documents and
max(corrected_at) of the corrections, which must not read the documents' rows (on SQLite a
row holds the whole text).
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_documents_processed_at", "documents", ["processed_at"])


def downgrade() -> None:
    op.drop_index("ix_documents_processed_at", table_name="documents")
