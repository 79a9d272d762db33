"""A checker in the style of RabbitMQ's Jepsen suite, over what the store committed.

A = the documents accepted (ids of the files dropped or uploaded), S = the documents stored.
lost = A − S; duplicated = documents whose effects were applied more than once (more
"stored" events than accepted requests, a fact count other than one extraction's);
unexpected = documents nobody sent; stuck = documents neither done nor failed at the end
(still in flight: a state-based checker cannot tell them from lost ones, so they are
counted apart); wrong content = a stored document whose own figure (each generated file
carries one of its own) is missing from its facts or shows up in another document's.
redeliveries = deliveries beyond the first that reached the extract step (each writes its
own extraction_started event, the message id carries the delivery count), plus any the
test counted itself. A run without redeliveries or faults proved nothing.

Every report a test records is one row of the scenario table printed at the end of the
session (tests/faults/conftest.py), so a run shows what each scenario injected and saw.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from zhibiao.db import models

COLUMNS = ("documents", "faults", "redeliveries", "lost", "duplicated", "stuck", "wrong", "unexpected")
ROWS: list[dict] = []  # one per recorded scenario, in the order they ran


@dataclass
class Report:
    accepted: int
    stored: int
    failed: int
    lost: set[str]
    duplicated: dict[str, str]
    unexpected: set[str]
    redeliveries: int
    stuck: set[str] = field(default_factory=set)
    wrong_content: dict[str, str] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    errors: dict[str, str] = field(default_factory=dict)

    def row(self, faults: int) -> dict:
        return {
            "documents": self.accepted,
            "faults": faults,
            "redeliveries": self.redeliveries,
            "lost": len(self.lost),
            "duplicated": len(self.duplicated),
            "stuck": len(self.stuck),
            "wrong": len(self.wrong_content),
            "unexpected": len(self.unexpected),
        }

    def line(self, scenario: str, **extra) -> str:
        parts = {
            "documents": self.accepted,
            **extra,
            "redeliveries": self.redeliveries,
            "stored": self.stored,
            "failed": self.failed,
            "lost": len(self.lost),
            "duplicated": len(self.duplicated),
            "stuck": len(self.stuck),
            "wrong": len(self.wrong_content),
            "unexpected": len(self.unexpected),
        }
        return f"[{scenario}] " + " ".join(f"{k}={v}" for k, v in parts.items())

    @property
    def clean(self) -> bool:
        """Nothing lost, applied twice, left in flight, mixed up or made up."""
        return not (self.lost or self.duplicated or self.stuck or self.wrong_content or self.unexpected)


def record(scenario: str, report: Report, *, faults: int, note: str = "") -> Report:
    """Keep the scenario's row for the table at the end of the session, print its line now."""
    ROWS.append({"scenario": scenario, **report.row(faults), "note": note})
    print(report.line(scenario, faults=faults) + (f" ({note})" if note else ""))
    return report


def table(rows: list[dict]) -> list[str]:
    header = ("scenario", *COLUMNS)
    cells = [[str(r.get(c, "")) for c in header] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]

    def fmt(values):
        return "  ".join(
            v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    out = [fmt(header)]
    out += [fmt(c) + (f"  ({r['note']})" if r.get("note") else "") for c, r in zip(cells, rows, strict=True)]
    return out


def check(
    database_url: str,
    accepted: dict[str, int],
    *,
    expected_facts: dict[str, int] | None = None,
    expect_failed: set[str] = frozenset(),
    extra_redeliveries: int = 0,
    figures: dict[str, float] | None = None,
) -> Report:
    """`accepted`: document id -> how many requests for it were accepted (normally 1).
    `figures`: document id -> the figure only that document's file states."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with Session(engine) as s:
            docs = {d.id: (d.status, d.error) for d in s.scalars(select(models.Document))}
            events = Counter(s.execute(select(models.DocumentEvent.document_id, models.DocumentEvent.event)).all())
            facts = dict(
                s.execute(select(models.Fact.document_id, func.count()).group_by(models.Fact.document_id)).all()
            )
            owners: dict[float, set[str]] = defaultdict(set)
            if figures:
                query = select(models.Fact.value, models.Fact.document_id).where(
                    models.Fact.value.in_(set(figures.values()))
                )
                for value, doc_id in s.execute(query):
                    owners[value].add(doc_id)
    finally:
        engine.dispose()
    want_done = set(accepted) - set(expect_failed)
    stored = {i for i, (status, _) in docs.items() if status == "done"}
    failed = {i for i, (status, _) in docs.items() if status == "failed"}
    lost = (want_done - stored) | (set(expect_failed) - failed)
    duplicated = {}
    for doc_id in docs:
        n = events[(doc_id, "stored")]
        if n > accepted.get(doc_id, 0):
            duplicated[doc_id] = f"stored {n} times for {accepted.get(doc_id, 0)} requests"
        if (
            expected_facts
            and doc_id in expected_facts
            and doc_id in stored
            and facts.get(doc_id, 0) != expected_facts[doc_id]
        ):
            duplicated[doc_id] = f"{facts.get(doc_id, 0)} facts, one extraction gives {expected_facts[doc_id]}"
    wrong = {}
    for doc_id, figure in (figures or {}).items():
        holders = owners.get(figure, set())
        if doc_id in stored and doc_id not in holders:
            wrong[doc_id] = f"its own figure {figure} is not among its facts"
        if holders - {doc_id}:
            wrong[doc_id] = f"its figure {figure} is stored under {sorted(holders - {doc_id})}"
    redeliveries = sum(max(0, events[(i, "extraction_started")] - accepted.get(i, 1)) for i in docs)
    return Report(
        accepted=len(accepted),
        stored=len(stored & want_done),
        failed=len(failed),
        lost=lost,
        duplicated=duplicated,
        unexpected=set(docs) - set(accepted),
        redeliveries=redeliveries + extra_redeliveries,
        stuck={i for i, (status, _) in docs.items() if status not in ("done", "failed")},
        wrong_content=wrong,
        statuses=Counter(status for status, _ in docs.values()),
        errors={i: error for i, (_, error) in docs.items() if error},
    )


FACT_FIELDS = ("indicator", "region", "period", "kind", "measure", "value", "unit", "quote")


def stored_facts(database_url: str, document_id: str) -> Counter:
    """One document's facts as stored, field by field, to hold against one extraction's."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with Session(engine) as s:
            columns = [getattr(models.Fact, f) for f in FACT_FIELDS]
            return Counter(
                tuple(row) for row in s.execute(select(*columns).where(models.Fact.document_id == document_id))
            )
    finally:
        engine.dispose()
