"""A checker in the style of RabbitMQ's Jepsen suite, over what the store committed.

A = the documents accepted (ids of the files dropped or uploaded), S = the documents stored.
lost = A − S; duplicated = documents whose effects were applied more than once (more
"stored" events than accepted requests, a fact count other than one extraction's, or a
document nobody sent); redeliveries = deliveries beyond the first that reached the extract
step (each writes its own extraction_started event, the message id carries the delivery
count), plus any the test counted itself. A run without redeliveries proved nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from zhibiao.db import models


@dataclass
class Report:
    accepted: int
    stored: int
    failed: int
    lost: set[str]
    duplicated: dict[str, str]
    unexpected: set[str]
    redeliveries: int
    statuses: Counter = field(default_factory=Counter)
    errors: dict[str, str] = field(default_factory=dict)

    def line(self, scenario: str, **extra) -> str:
        parts = {"documents": self.accepted, **extra, "redeliveries": self.redeliveries,
                 "stored": self.stored, "failed": self.failed, "lost": len(self.lost),
                 "duplicated": len(self.duplicated)}
        return f"[{scenario}] " + " ".join(f"{k}={v}" for k, v in parts.items())


def check(database_url: str, accepted: dict[str, int], *, expected_facts: dict[str, int] | None = None,
          expect_failed: set[str] = frozenset(), extra_redeliveries: int = 0) -> Report:
    """`accepted`: document id -> how many requests for it were accepted (normally 1)."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with Session(engine) as s:
            docs = {d.id: d for d in s.scalars(select(models.Document))}
            events = Counter(s.execute(select(models.DocumentEvent.document_id, models.DocumentEvent.event)).all())
            facts = dict(s.execute(select(models.Fact.document_id, func.count()).group_by(models.Fact.document_id))
                         .all())
    finally:
        engine.dispose()
    want_done = set(accepted) - set(expect_failed)
    stored = {i for i, d in docs.items() if d.status == "done"}
    failed = {i for i, d in docs.items() if d.status == "failed"}
    lost = (want_done - stored) | (set(expect_failed) - failed)
    duplicated = {}
    for doc_id in docs:
        n = events[(doc_id, "stored")]
        if n > accepted.get(doc_id, 0):
            duplicated[doc_id] = f"stored {n} times for {accepted.get(doc_id, 0)} requests"
        if (expected_facts and doc_id in expected_facts and doc_id in stored
                and facts.get(doc_id, 0) != expected_facts[doc_id]):
                duplicated[doc_id] = f"{facts.get(doc_id, 0)} facts, one extraction gives {expected_facts[doc_id]}"
    redeliveries = sum(max(0, events[(i, "extraction_started")] - accepted.get(i, 1)) for i in docs)
    return Report(accepted=len(accepted), stored=len(stored & want_done), failed=len(failed), lost=lost,
                  duplicated=duplicated, unexpected=set(docs) - set(accepted),
                  redeliveries=redeliveries + extra_redeliveries, statuses=Counter(d.status for d in docs.values()),
                  errors={i: d.error for i, d in docs.items() if d.error})
