"""Every field of a payload the store writes has a column: a field added to the domain's
dataclass without one would otherwise be dropped on the floor (setattr on a mapped object
takes any name)."""

from __future__ import annotations

from dataclasses import fields

import pytest

from zhibiao.db import models
from zhibiao.domain.model import DocumentMeta, Fact, Section, Task
from zhibiao.domain.search_text import Paragraph


@pytest.mark.parametrize(
    ("payload", "table"),
    [
        (Fact, models.Fact),
        (Section, models.Section),
        (Task, models.Task),
        (Paragraph, models.Paragraph),
        (DocumentMeta, models.Document),
    ],
)
def test_every_payload_field_has_a_column(payload, table):
    assert {f.name for f in fields(payload)} <= set(table.__table__.columns.keys())
