"""The one pika wrapper: connect, declare the topology, publish with confirms, consume.

pika's own rules shape this module: a connection belongs to the thread that made it;
BlockingConnection only services heartbeats inside its I/O calls, so long work runs in
worker threads and is acked back on the I/O thread through add_callback_threadsafe;
pika has no reconnect of its own, so both sides loop; publishing and consuming use
separate connections so that flow control on one never stalls the other.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import logging
import queue
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import pika
import pika.exceptions
from pika.exceptions import AMQPError
from pydantic import BaseModel, ValidationError

from zhibiao.plumbing import metrics
from zhibiao.plumbing.config import Settings
from zhibiao.plumbing.errors import MessageTooLarge, TransientError
from zhibiao.plumbing.logs import document_context
from zhibiao.plumbing.messages import Envelope, envelope, route

log = logging.getLogger(__name__)

# queue name -> routing keys bound to it on the main exchange
QUEUES: dict[str, tuple[str, ...]] = {
    "extract": ("document.received",),
    "store": ("document.*",),
}
# Dead letters fan out to a queue kept for people to inspect and one the store reads
# to record the document as failed.
DEAD_QUEUES = ("dead", "dead.notify")
# Where a dead letter goes when even its own consumer gives up on it (past the delivery
# limit): parked for people, consumed by nobody, so nothing spins on it forever.
PARKED_QUEUE = "parked"
# A consumer given retry delays parks a message that failed for a transient reason in a
# delay queue, acks it, and gets it back when the delay's TTL expires. One queue per delay,
# because a TTL only fires at the head of a queue: a 5 s message behind a 120 s one would wait.
# Worth it where retrying in place would hold a scarce worker (OCR) on something that will not
# come back soon; the store instead retries in place, which stops it consuming while the
# database is away. The last delay repeats up to settings.max_retries parkings; past them the
# message is dead-lettered, so an error wrongly classed as transient cannot park forever.
RETRY_DELAYS_SECONDS: dict[str, tuple[int, ...]] = {"extract": (5, 30, 120)}
_RETRIES_HEADER = "x-zhibiao-retries"

# What a broker going away raises (pika's own errors, or the socket's)
CONNECTION_ERRORS = (
    pika.exceptions.AMQPConnectionError,
    pika.exceptions.AMQPChannelError,
    pika.exceptions.StreamLostError,
    ConnectionError,
    OSError,
)


def connection_parameters(settings: Settings) -> pika.URLParameters:
    params = pika.URLParameters(settings.amqp_url)
    params.heartbeat = settings.heartbeat_seconds
    params.blocked_connection_timeout = 60
    params.connection_attempts = 1
    return params


def retry_queue(settings: Settings, queue: str, delay: int) -> str:
    return settings.queue(f"{queue}.retry.{delay}s")


def declare_retry_queues(channel, settings: Settings, queue: str, delays: tuple[int, ...]) -> None:
    """Delay queues whose expired messages go straight back to `queue` (by the default exchange)."""
    for delay in delays:
        channel.queue_declare(
            retry_queue(settings, queue, delay),
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-message-ttl": delay * 1000,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": settings.queue(queue),
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
            },
        )


def declare_topology(channel, settings: Settings) -> None:
    """Idempotent: every service declares everything it touches on every (re)connect."""
    dlx, parked = settings.exchange + ".dlx", settings.exchange + ".parked"
    channel.exchange_declare(settings.exchange, exchange_type="topic", durable=True)
    channel.exchange_declare(dlx, exchange_type="fanout", durable=True)
    channel.exchange_declare(parked, exchange_type="fanout", durable=True)
    quorum = {"x-queue-type": "quorum"}

    def limited(dead_letters_to: str) -> dict:
        # at-least-once dead-lettering needs reject-publish: a full queue must refuse, not drop
        return {
            **quorum,
            "x-delivery-limit": settings.delivery_limit,
            "x-dead-letter-exchange": dead_letters_to,
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        }

    channel.queue_declare(settings.queue(PARKED_QUEUE), durable=True, arguments=quorum)
    channel.queue_bind(settings.queue(PARKED_QUEUE), parked)
    for name in DEAD_QUEUES:
        # A dead letter its consumer cannot apply must not come back forever: it too has a
        # delivery limit, past which it is parked (never back to the dlx: that would loop).
        channel.queue_declare(settings.queue(name), durable=True, arguments=limited(parked))
        channel.queue_bind(settings.queue(name), dlx)
    for name, keys in QUEUES.items():
        channel.queue_declare(settings.queue(name), durable=True, arguments=limited(dlx))
        for key in keys:
            channel.queue_bind(settings.queue(name), settings.exchange, routing_key=key)


def delete_topology(settings: Settings) -> None:
    """For tests: remove a namespace's queues and exchanges."""
    conn = pika.BlockingConnection(connection_parameters(settings))
    try:
        ch = conn.channel()
        for name in (*QUEUES, *DEAD_QUEUES, PARKED_QUEUE):
            ch.queue_delete(settings.queue(name))
        for name, delays in RETRY_DELAYS_SECONDS.items():
            for delay in delays:
                ch.queue_delete(retry_queue(settings, name, delay))
        ch.exchange_delete(settings.exchange)
        ch.exchange_delete(settings.exchange + ".dlx")
        ch.exchange_delete(settings.exchange + ".parked")
    finally:
        conn.close()


class Publisher:
    """Persistent, confirmed, mandatory publishing, from any thread.

    The connection belongs to a thread of the publisher's own (pika's rule: one connection per
    thread). Callers hand it their message and wait for the broker's confirm; between messages
    the thread answers the broker's heartbeats. A BlockingConnection only does so inside its
    own calls, so a connection left idle by its caller (an extract worker deep in OCR, ingest
    with nothing new) was dropped by the broker and its next publish failed with tracebacks.
    """

    def __init__(self, settings: Settings, *, attempts: int = 5) -> None:
        self._settings = settings
        self._attempts = attempts
        self._jobs: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        # Only the publisher's thread touches these two.
        self._conn = self._ch = None
        self.connections = 0  # how many times it (re)connected; tests read it

    def publish(self, body: BaseModel, *, message_id: str) -> None:
        """Returns once the broker has confirmed; raises TransientError if it never does, and
        MessageTooLarge for a message the broker would refuse whatever we do."""
        env = envelope(body, message_id=message_id)
        payload = env.model_dump_json().encode()
        if len(payload) > self._settings.max_message_bytes:
            raise MessageTooLarge(
                f"the {env.type} message is {len(payload) / 2**20:.1f} MiB; the limit is "
                f"{self._settings.max_message_bytes / 2**20:.1f} MiB (ZHIBIAO_MAX_MESSAGE_BYTES)"
            )
        props = pika.BasicProperties(
            delivery_mode=pika.DeliveryMode.Persistent,
            content_type="application/json",
            message_id=env.id,
            type=env.type,
        )
        self.publish_raw(self._settings.exchange, route(body), payload, props)

    def publish_raw(self, exchange: str, routing_key: str, payload: bytes, props: pika.BasicProperties) -> None:
        """The same guarantees for an already encoded message (a retry parks a delivery as it came)."""
        done: Future = Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="publisher", daemon=True)
                self._thread.start()
            self._jobs.put((exchange, routing_key, payload, props, done))
        done.result()

    def keepalive(self) -> None:
        """Nothing to do: the publisher's own thread answers heartbeats (kept for old callers)."""

    def close(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is not None and thread.is_alive():
                self._jobs.put(None)
        if thread is not None and thread is not threading.current_thread():
            thread.join(10)

    # the publisher's thread ------------------------------------------------------------

    def _serve(self) -> None:
        # Well inside the broker's patience: it gives up after two missed heartbeats.
        tick = max(0.1, self._settings.heartbeat_seconds / 4)
        try:
            while True:
                try:
                    job = self._jobs.get(timeout=tick)
                except queue.Empty:
                    self._keepalive()
                    continue
                if job is None:
                    return
                *message, done = job
                if not done.set_running_or_notify_cancel():
                    continue
                try:
                    self._send(*message)
                except Exception as exc:  # noqa: BLE001 - handed to the caller's thread and raised there
                    done.set_exception(exc)
                else:
                    done.set_result(None)
        finally:
            self._close_connection()

    def _keepalive(self) -> None:
        if self._conn is None or not self._conn.is_open:
            return
        try:
            self._conn.process_data_events(time_limit=0)
        except (AMQPError, *CONNECTION_ERRORS) as exc:  # never let this thread die: callers wait on it
            log.info("idle publisher connection lost (%r); the next publish reconnects", exc)
            self._close_connection()

    def _channel(self):
        if self._ch is not None and self._ch.is_open and self._conn.is_open:
            return self._ch
        self._close_connection()
        conn = pika.BlockingConnection(connection_parameters(self._settings))
        ch = conn.channel()
        declare_topology(ch, self._settings)
        ch.confirm_delivery()
        self._conn, self._ch = conn, ch
        self.connections += 1
        return ch

    def _close_connection(self) -> None:
        conn, self._conn, self._ch = self._conn, None, None
        if conn is not None and conn.is_open:
            with contextlib.suppress(AMQPError, OSError):  # already broken: nothing to release
                conn.close()

    def _send(self, exchange: str, routing_key: str, payload: bytes, props: pika.BasicProperties) -> None:
        what = f"{props.type} {props.message_id}"
        delay = 0.2
        for attempt in range(1, self._attempts + 1):
            try:
                ch = self._channel()
                ch.basic_publish(exchange, routing_key, payload, props, mandatory=True)
                return
            except pika.exceptions.UnroutableError as exc:
                # Only possible if the topology is missing: declare again and retry.
                log.warning("unroutable %s (attempt %d): %s", what, attempt, exc)
                self._close_connection()
            except pika.exceptions.ChannelClosedByBroker as exc:
                self._close_connection()
                if exc.reply_code == 406 and "size" in str(exc.reply_text):
                    # over the broker's max_message_size: the same bytes are refused every time
                    raise MessageTooLarge(f"the broker refused {what}: {exc.reply_text}") from exc
                log.warning("publish of %s failed (attempt %d): %r", what, attempt, exc)
            except (pika.exceptions.NackError, *CONNECTION_ERRORS) as exc:
                log.warning("publish of %s failed (attempt %d): %r", what, attempt, exc)
                self._close_connection()
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
        raise TransientError(f"the broker did not confirm {what}")


class Outcome(enum.Enum):
    ACK = "ack"  # done, or a duplicate: forget the message
    DEAD_LETTER = "dead_letter"  # permanent failure: park it in the dead-letter queue
    REQUEUE = "requeue"  # unexpected crash: try again, counting toward the delivery limit


@dataclass(frozen=True)
class Delivery:
    envelope: Envelope
    redelivered: bool
    delivery_count: int  # how many earlier deliveries failed (quorum queues count them)
    routing_key: str
    retries: int = 0  # how often a transient failure parked it in a delay queue


Handler = Callable[[Delivery], Outcome]


class Consumer:
    """Consumes one queue until `stop` is set, reconnecting whenever the broker goes away.

    The handler runs in a worker thread. TransientError makes the worker retry the same
    message in place with back-off (the message stays unacked, so nothing is burned from
    the delivery limit and prefetch keeps the consumer from taking more) until its channel
    is gone, or, given `retry_delays`, park it in a delay queue and ack it, at most
    `settings.max_retries` times before dead-lettering it; any other exception requeues it;
    ACK/DEAD_LETTER settle it.
    """

    def __init__(
        self,
        settings: Settings,
        queue: str,
        handler: Handler,
        *,
        prefetch: int | None = None,
        stop: threading.Event | None = None,
        retry_delays: tuple[int, ...] | None = None,
    ) -> None:
        self._settings = settings
        self._name = queue
        self._queue = settings.queue(queue)
        self._retry_delays = RETRY_DELAYS_SECONDS.get(queue, ()) if retry_delays is None else retry_delays
        self._parker = Publisher(settings, attempts=2) if self._retry_delays else None
        self._handler = handler
        self._prefetch = prefetch or settings.prefetch
        self.stop = stop or threading.Event()
        self._workers = ThreadPoolExecutor(max_workers=self._prefetch, thread_name_prefix=f"{queue}-worker")
        self.connected = threading.Event()
        self.connections = 0  # how many times we (re)connected; tests read it

    def run(self) -> None:
        backoff = 0.5
        while not self.stop.is_set():
            try:
                self._consume_once()
                backoff = 0.5
            except CONNECTION_ERRORS as exc:
                self.connected.clear()
                if self.stop.is_set():
                    break
                log.warning("broker connection lost on %s: %r; reconnecting in %.1fs", self._queue, exc, backoff)
                self.stop.wait(backoff + random.random() * 0.3)
                backoff = min(backoff * 2, 10.0)
        self._workers.shutdown(wait=True, cancel_futures=True)
        if self._parker is not None:
            self._parker.close()

    def _consume_once(self) -> None:
        conn = pika.BlockingConnection(connection_parameters(self._settings))
        try:
            ch = conn.channel()
            declare_topology(ch, self._settings)
            declare_retry_queues(ch, self._settings, self._name, self._retry_delays)
            ch.basic_qos(prefetch_count=self._prefetch)
            ch.basic_consume(self._queue, functools.partial(self._on_message, conn))
            self.connections += 1
            self.connected.set()
            log.info("consuming %s (prefetch %d)", self._queue, self._prefetch)
            while not self.stop.is_set():
                conn.process_data_events(time_limit=0.5)
        finally:
            self.connected.clear()
            if conn.is_open:
                with contextlib.suppress(AMQPError, OSError):
                    conn.close()

    def _on_message(self, conn, ch, method, props, body: bytes) -> None:
        headers = props.headers or {}
        count = int(headers.get("x-delivery-count", 0) or 0)
        self._workers.submit(self._work, conn, ch, method, props, count, body)

    def _work(self, conn, ch, method, props, count: int, body: bytes) -> None:
        tag = method.delivery_tag
        retries = int((props.headers or {}).get(_RETRIES_HEADER, 0) or 0)
        try:
            env = Envelope.model_validate_json(body)
            env.body()
        except (ValidationError, ValueError) as exc:
            log.error("unreadable message on %s, dead-lettering it: %s", self._queue, exc)
            self._settle(conn, ch, tag, Outcome.DEAD_LETTER)
            return
        delivery = Delivery(
            envelope=env,
            redelivered=method.redelivered,
            delivery_count=count,
            routing_key=method.routing_key,
            retries=retries,
        )
        metrics.LAG_SECONDS.labels(self._name).observe(max(0.0, time.time() - env.time.timestamp()))
        started = time.monotonic()
        with document_context(env.data.get("document_id")):
            outcome = self._handle(delivery, body, props, conn, ch)
        metrics.HANDLE_SECONDS.labels(self._name).observe(time.monotonic() - started)
        if outcome is None:
            return  # stopping: left unacked for the broker to redeliver
        metrics.MESSAGES.labels(self._name, outcome.value).inc()
        self._settle(conn, ch, tag, outcome)

    def _handle(self, delivery: Delivery, body: bytes, props, conn, ch) -> Outcome | None:
        env, retries = delivery.envelope, delivery.retries
        backoff = 0.5
        while True:
            try:
                outcome = self._handler(delivery)
                break
            except TransientError as exc:
                metrics.TRANSIENT_RETRIES.labels(self._name).inc()
                if self.stop.is_set():
                    return None  # unacked: the broker redelivers it to another consumer
                if not (conn.is_open and ch.is_open):
                    # The broker already took the delivery back (and may have handed it to
                    # another worker): retrying here would only hold this thread forever.
                    log.warning("channel closed while retrying %s %s; leaving it to its redelivery", env.type, env.id)
                    return None
                if self._parker is not None and retries >= self._settings.max_retries:
                    log.error(
                        "giving up on %s %s after %d retries: %s; dead-lettering it", env.type, env.id, retries, exc
                    )
                    outcome = Outcome.DEAD_LETTER
                    break
                if self._parker is not None and self._park(body, props, retries, exc):
                    outcome = Outcome.ACK  # its copy waits in the delay queue
                    break
                log.warning("transient failure on %s %s: %s; retrying in %.1fs", env.type, env.id, exc, backoff)
                self.stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)
            except Exception:
                log.exception("handler crashed on %s %s; requeueing", env.type, env.id)
                outcome = Outcome.REQUEUE
                time.sleep(1.0)
                break
        return outcome

    def _park(self, body: bytes, props, retries: int, exc: Exception) -> bool:
        """Publish a copy to the next delay queue (confirmed) so that the original can be acked."""
        delay = self._retry_delays[min(retries, len(self._retry_delays) - 1)]
        headers = {k: v for k, v in (props.headers or {}).items() if not k.startswith("x-") or k == _RETRIES_HEADER}
        headers[_RETRIES_HEADER] = retries + 1
        copy = pika.BasicProperties(
            delivery_mode=pika.DeliveryMode.Persistent,
            content_type=props.content_type,
            message_id=props.message_id,
            type=props.type,
            headers=headers,
        )
        try:
            self._parker.publish_raw("", retry_queue(self._settings, self._name, delay), body, copy)
        except TransientError as publish_exc:
            log.warning("could not park %s for a retry (%s); retrying in place", props.message_id, publish_exc)
            return False
        log.warning(
            "transient failure on %s: %s; retrying in %d s (retry %d)", props.message_id, exc, delay, retries + 1
        )
        return True

    @staticmethod
    def _settle(conn, ch, tag: int, outcome: Outcome) -> None:
        def settle() -> None:
            if not ch.is_open:
                return  # the connection died: the broker redelivers, our handlers are idempotent
            if outcome is Outcome.ACK:
                ch.basic_ack(tag)
            else:
                ch.basic_nack(tag, requeue=outcome is Outcome.REQUEUE)

        with contextlib.suppress(AMQPError):  # connection already closed: the broker redelivers
            conn.add_callback_threadsafe(settle)
