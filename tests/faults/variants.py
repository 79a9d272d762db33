"""Store variants for the fault tests, run as processes: python -m tests.faults.variants MODE

crash-after-commit  the real store handler, but after committing a document.extracted it
                    kills itself (SIGKILL) before the ack, the first ZHIBIAO_TEST_CRASHES
                    times (counted in crashes.log in its working directory).
ack-before-commit   the bug the checker must see: each message is acked as it arrives and
                    committed a second later (a slow write), so a kill in between loses it.
Every delivery is logged to deliveries.log: type, id, redelivered flag.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from services.runtime import start
from services.store.handler import handle_event
from zhibiao.bus import Consumer, Delivery, Outcome
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.messages import Envelope

EXTRACTED = "zhibiao.document.extracted.v1"


class AckFirstConsumer(Consumer):
    def _work(self, conn, ch, method, props, count, body):
        self._settle(conn, ch, method.delivery_tag, Outcome.ACK)
        env = Envelope.model_validate_json(body)
        self._handler(Delivery(envelope=env, redelivered=method.redelivered, delivery_count=count,
                               routing_key=method.routing_key))


def main() -> None:
    mode = sys.argv[1]
    settings, stop = start("store-variant")
    engine = make_engine(settings.database_url, writer=True)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    deliveries = open("deliveries.log", "a", buffering=1)  # noqa: SIM115  (open until the process is killed)
    crashes = Path("crashes.log")
    budget = int(os.environ.get("ZHIBIAO_TEST_CRASHES", "0"))

    def handler(d: Delivery) -> Outcome:
        deliveries.write(f"{d.envelope.type} {d.envelope.id} redelivered={d.redelivered}\n")
        if mode == "ack-before-commit" and d.envelope.type == EXTRACTED:
            time.sleep(1.0)
        outcome = handle_event(d, sessions=sessions)
        if mode == "crash-after-commit" and d.envelope.type == EXTRACTED and not d.redelivered:
            done = len(crashes.read_text().splitlines()) if crashes.exists() else 0
            if done < budget:
                with open(crashes, "a") as f:
                    f.write(f"{d.envelope.id}\n")
                    f.flush()
                    os.fsync(f.fileno())
                os.kill(os.getpid(), signal.SIGKILL)  # committed, not acked
        return outcome

    consumer = AckFirstConsumer if mode == "ack-before-commit" else Consumer
    consumer(settings, "store", handler, stop=stop).run()


if __name__ == "__main__":
    main()
