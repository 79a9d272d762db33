"""facts.region may be NULL: a report whose region is unknown says so

Revision ID: 0005
Revises: 0004

Facts used to take "" when no region was found, which the API then served as a region
named "". The contract says null; the column allows it and the old "" rows become NULL
(documents.region was nullable already; any "" there is cleared the same way).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("facts") as batch:
        batch.alter_column("region", existing_type=sa.String(128), nullable=True)
    op.execute("UPDATE facts SET region = NULL WHERE region = ''")
    op.execute("UPDATE documents SET region = NULL WHERE region = ''")


def downgrade() -> None:
    op.execute("UPDATE facts SET region = '' WHERE region IS NULL")
    with op.batch_alter_table("facts") as batch:
        batch.alter_column("region", existing_type=sa.String(128), nullable=False)
