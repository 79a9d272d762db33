"""Service variants for the fault tests, run as processes: python -m tests.faults.variants MODE

store                the real store (its main, both consumers), with every delivery logged:
                     what a kill -9 of the store is done to.
crash-after-commit   the real store handler, but after committing a document.extracted it
                     kills itself (SIGKILL) before the ack, the first ZHIBIAO_TEST_CRASHES
                     times (counted in crashes.log in its working directory).
crash-no-inbox       the same crashes, by a store whose inbox never remembers anything: the
                     bug the checker must see as duplication (negative control).
ack-before-commit    the bug the checker must see as loss: each message is acked as it arrives
                     and committed a second later (a slow write), so a kill in between loses it.
extract              the real extract, with the parser hooks the test's environment asks for
                     (ZHIBIAO_TEST_EXTRACT_DELAY, ZHIBIAO_TEST_PARSER_FAULTS; tests/faults/hooks.py).
ingest-crash         the real ingest, but it kills itself (SIGKILL) right after the broker
                     confirmed a document.received and before the ledger records the file, the
                     first ZHIBIAO_TEST_CRASHES times: the window where a file is published and
                     not taken, so the next ingest publishes it again.
Every store delivery is logged to deliveries.log: type, id, document, redelivered flag; the
ack-before-commit store logs "committed <type> <document>" after each commit.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from zhibiao.plumbing.bus import Consumer, Delivery, Outcome
from zhibiao.plumbing.messages import Envelope

EXTRACTED = "zhibiao.document.extracted.v1"
RECEIVED = "zhibiao.document.received.v1"
CRASHES = Path("crashes.log")


class AckFirstConsumer(Consumer):
    def _work(self, conn, ch, method, props, count, body):
        self._settle(conn, ch, method.delivery_tag, Outcome.ACK)
        env = Envelope.model_validate_json(body)
        self._handler(
            Delivery(envelope=env, redelivered=method.redelivered, delivery_count=count, routing_key=method.routing_key)
        )


def _crash_budget_left() -> bool:
    done = len(CRASHES.read_text().splitlines()) if CRASHES.exists() else 0
    return done < int(os.environ.get("ZHIBIAO_TEST_CRASHES", "0"))


def _crash(line: str) -> None:
    """Note the crash durably (the test counts them), then die as a kill -9 would."""
    with open(CRASHES, "a") as f:
        f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.kill(os.getpid(), signal.SIGKILL)


def _document(d: Delivery) -> str:
    return getattr(d.envelope.body(), "document_id", "-")


def ingest_crash() -> None:
    """Publisher.publish returns once the broker confirmed; the ingestor writes its ledger
    after that. Dying in between is the window under test."""
    from services.ingest import __main__ as ingest
    from zhibiao.plumbing import bus

    publish = bus.Publisher.publish

    def publish_then_die(self, body, *, message_id):
        publish(self, body, message_id=message_id)
        if type(body).__name__ == "DocumentReceived" and _crash_budget_left():
            _crash(f"{message_id} {body.document_id}")

    bus.Publisher.publish = publish_then_die
    ingest.main()


def store_logged(deliveries) -> None:
    """The real store's main, its handler wrapped to log each delivery first."""
    from services.store import __main__ as store

    handle = store.handle_event

    def logged(d: Delivery, **kwargs) -> Outcome:
        deliveries.write(f"{d.envelope.type} {d.envelope.id} {_document(d)} redelivered={d.redelivered}\n")
        return handle(d, **kwargs)

    store.handle_event = logged
    store.main()


def main() -> None:
    mode = sys.argv[1]
    if mode == "extract":
        from services.extract.__main__ import main as extract_main
        from tests.faults.hooks import from_environment

        return extract_main(hook=from_environment())
    if mode == "ingest-crash":
        return ingest_crash()
    deliveries = open("deliveries.log", "a", buffering=1)  # noqa: SIM115  (open until the process is killed)
    if mode == "store":
        return store_logged(deliveries)

    from services.runtime import start
    from services.store.handler import handle_event
    from zhibiao.db import writes
    from zhibiao.db.engine import make_engine, make_sessionmaker
    from zhibiao.db.migrate import upgrade

    if mode == "crash-no-inbox":
        # the inbox still exists, it is just never consulted nor written
        writes.already_applied = lambda *, session, message_id: False
        writes.remember = lambda *, session, message_id: None
    settings, stop = start("store-variant")
    engine = make_engine(settings.database_url, writer=True)
    upgrade(engine)
    sessions = make_sessionmaker(engine)

    def handler(d: Delivery) -> Outcome:
        deliveries.write(f"{d.envelope.type} {d.envelope.id} {_document(d)} redelivered={d.redelivered}\n")
        if mode == "ack-before-commit" and d.envelope.type == EXTRACTED:
            time.sleep(1.0)
        outcome = handle_event(d, sessions=sessions)
        if mode == "ack-before-commit":
            deliveries.write(f"committed {d.envelope.type} {_document(d)}\n")
        if (
            mode in ("crash-after-commit", "crash-no-inbox")
            and d.envelope.type == EXTRACTED
            and not d.redelivered
            and _crash_budget_left()
        ):
            _crash(f"{d.envelope.id} {_document(d)}")  # committed, not acked
        return outcome

    consumer = AckFirstConsumer if mode == "ack-before-commit" else Consumer
    consumer(settings, "store", handler, stop=stop).run()


if __name__ == "__main__":
    main()
