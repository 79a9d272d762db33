"""documents: the report a document is another copy of

Revision ID: 0007
Revises: 0006

One report dropped as TXT and as PDF (or in two versions) is two files and one report:
duplicate_of names the document served in its place (same region, year and type, near-
identical text); NULL for the one served. Both files stay.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("duplicate_of", sa.String(64), nullable=True))
    op.create_index("ix_documents_duplicate_of", "documents", ["duplicate_of"])


def downgrade() -> None:
    op.drop_index("ix_documents_duplicate_of", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("duplicate_of")
