"""The admin-level indexes of facts carry the fact's document

Revision ID: 0013
Revises: 0012

Every list of facts leaves out those of documents that duplicate another
(`document_id NOT IN (duplicates)`), so counting a level's facts up to TOTAL_COUNTED read each
one's heap row for its document id: gdp of every county, 10,001 rows on 10,001 scattered pages,
170 ms at 10,000 documents on PostgreSQL. With document_id in the index the count is read off
the index alone (7 ms), on SQLite too (a covering index).
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_facts_admin_level", table_name="facts")
    op.drop_index("ix_facts_indicator_level", table_name="facts")
    op.create_index("ix_facts_admin_level", "facts", ["admin_level", "id", "document_id"])
    op.create_index("ix_facts_indicator_level", "facts", ["indicator", "admin_level", "id", "document_id"])


def downgrade() -> None:
    op.drop_index("ix_facts_indicator_level", table_name="facts")
    op.drop_index("ix_facts_admin_level", table_name="facts")
    op.create_index("ix_facts_admin_level", "facts", ["admin_level", "id"])
    op.create_index("ix_facts_indicator_level", "facts", ["indicator", "admin_level", "id"])
