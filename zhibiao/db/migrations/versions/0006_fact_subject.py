"""facts: the subject a figure measures, and figures outside the catalogue

Revision ID: 0006
Revises: 0005

Every figure of a report is a fact now, not only the catalogue's: indicator is NULL for
the others, and subject holds the phrase the figure measures as written (the indicator's
name for a catalogue fact). subject_unclear marks a figure whose subject is the clause.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("facts") as batch:
        batch.alter_column("indicator", existing_type=sa.String(64), nullable=True)
        batch.add_column(sa.Column("subject", sa.String(256), nullable=True))
        batch.add_column(sa.Column("subject_unclear", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_facts_subject", "facts", ["subject"])
    op.execute("UPDATE facts SET subject = indicator_label WHERE subject IS NULL")


def downgrade() -> None:
    op.drop_index("ix_facts_subject", table_name="facts")
    op.execute("DELETE FROM facts WHERE indicator IS NULL")
    with op.batch_alter_table("facts") as batch:
        batch.drop_column("subject_unclear")
        batch.drop_column("subject")
        batch.alter_column("indicator", existing_type=sa.String(64), nullable=False)
