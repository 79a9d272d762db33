"""facts: ids that survive reprocessing; corrections: fields set by hand

Revision ID: 0008
Revises: 0007

A fact's id was a row counter, so every reprocess gave its facts new ids and broke links,
notes and exports (CONTRACT: a fact's id stays the same when its document is processed
again). It is now a string derived from the document and where the figure stands
(zhibiao.domain.stable_ids); the facts already stored get theirs here.

corrections holds what an analyst fixed by hand (PATCH /v1/documents/{id}, /v1/facts/{id}),
one row per document (fact_id "") or fact and field, apart from what extraction writes, so
the store lays it over every new extraction.
"""

import sqlalchemy as sa
from alembic import op

from zhibiao.domain.stable_ids import fact_ids

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    # the new ids are computed from the rows in their old (extraction) order, before the
    # column stops being a number to order by
    rows = conn.execute(
        sa.text(
            'SELECT id, document_id, figure_start, figure_end, start, "end", indicator FROM facts '
            "ORDER BY document_id, id"
        )
    ).all()
    by_doc: dict[str, list] = {}
    for r in rows:
        by_doc.setdefault(r.document_id, []).append(r)
    if conn.dialect.name == "postgresql":
        op.execute("ALTER TABLE facts ALTER COLUMN id DROP DEFAULT")
    with op.batch_alter_table("facts") as batch:
        batch.alter_column(
            "id", existing_type=sa.Integer(), type_=sa.String(32), existing_nullable=False, postgresql_using="id::text"
        )
    if conn.dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS facts_id_seq")
    update = sa.text("UPDATE facts SET id = :new WHERE id = :old")
    for document_id, facts in by_doc.items():
        new = fact_ids(
            document_id,
            [
                (
                    f.figure_start if f.figure_start is not None else f.start,
                    f.figure_end if f.figure_end is not None else f.end,
                    f.indicator,
                )
                for f in facts
            ],
        )
        conn.execute(update, [{"new": n, "old": str(f.id)} for n, f in zip(new, facts, strict=True)])

    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("fact_id", sa.String(32), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("corrected_by", sa.String(64), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "fact_id", "field", name="uq_corrections_target"),
    )
    op.create_index("ix_corrections_document_id", "corrections", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_corrections_document_id", table_name="corrections")
    op.drop_table("corrections")
    # the string ids cannot go back to numbers; the facts come again with the next extraction
    op.execute("DELETE FROM facts")
    with op.batch_alter_table("facts") as batch:
        batch.alter_column(
            "id",
            existing_type=sa.String(32),
            type_=sa.Integer(),
            existing_nullable=False,
            postgresql_using="id::integer",
        )
