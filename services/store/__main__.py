"""python -m services.store: own the schema and write every document event once."""

from __future__ import annotations

import functools
import logging
import threading
import time

from sqlalchemy.exc import OperationalError

from services.runtime import start
from services.store.handler import handle_dead_letter, handle_event
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.plumbing.bus import Consumer

log = logging.getLogger("store")


def main() -> None:
    settings, stop = start("store")
    engine = make_engine(settings.database_url, writer=True)
    while not stop.is_set():
        try:
            upgrade(engine)
            break
        except OperationalError as exc:
            log.warning("database not reachable yet (%s); retrying", exc.orig)
            time.sleep(2)
    sessions = make_sessionmaker(engine)
    consumers = [
        Consumer(settings, "store", functools.partial(handle_event, sessions=sessions), stop=stop),
        Consumer(
            settings, "dead.notify", functools.partial(handle_dead_letter, sessions=sessions), prefetch=1, stop=stop
        ),
    ]
    threads = [threading.Thread(target=c.run, name=f"consume-{i}") for i, c in enumerate(consumers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
