"""facts.admin_level: the level of a fact's region, kept with the fact

Revision ID: 0012
Revises: 0011

An admin-level filter (`/v1/facts?admin_level=county`) asked for every name of that level in
the division table: ~1,900 county names in an IN list, bound and tested in each request
(47 ms at 10,000 documents on PostgreSQL, whatever else was asked). The level is what the
division table says of the fact's region (regions.level_of), None for a name it does not know;
the store keeps it with the region, corrections included.
"""

import sqlalchemy as sa
from alembic import op

from zhibiao.domain import regions

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("facts", sa.Column("admin_level", sa.String(16), nullable=True))
    conn = op.get_bind()
    facts = sa.table("facts", sa.column("region", sa.String), sa.column("admin_level", sa.String))
    stored = conn.execute(sa.select(facts.c.region).where(facts.c.region.is_not(None)).distinct()).scalars()
    by_level: dict[str, list[str]] = {}
    for name in stored:
        level = regions.level_of(name)
        if level is not None:
            by_level.setdefault(level, []).append(name)
    for level, names in by_level.items():
        for i in range(0, len(names), 500):
            conn.execute(sa.update(facts).where(facts.c.region.in_(names[i : i + 500])).values(admin_level=level))
    op.create_index("ix_facts_admin_level", "facts", ["admin_level", "id"])
    # one indicator at a level: without it SQLite walked the level's facts (784,000 counties'
    # at 10,000 documents) to find gdp's, 134 ms
    op.create_index("ix_facts_indicator_level", "facts", ["indicator", "admin_level", "id"])


def downgrade() -> None:
    op.drop_index("ix_facts_indicator_level", table_name="facts")
    op.drop_index("ix_facts_admin_level", table_name="facts")
    op.drop_column("facts", "admin_level")
