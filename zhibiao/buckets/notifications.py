"""S3 bucket notifications: the server tells ingest of a new object at once, instead of
ingest finding it at the next listing.

Servers deliver them in the AWS event format ({"Records": [...]}) to a queue: Amazon S3 to
SQS (directly, or through an SNS topic), and so do LocalStack and moto; ingest reads that
queue through boto3 (`ZHIBIAO_BUCKET_EVENTS_URL=sqs://QUEUE` or the queue's https URL;
endpoint and credentials from the AWS_* environment, as for the bucket). Self-hosted servers
(MinIO and its forks, RustFS, Ceph RGW) publish the same records to an AMQP exchange; ingest
binds a queue of its own to it (`amqp://user:pass@host/vhost?exchange=NAME`, optionally
`&routing_key=…&queue=…`).

A notification is only a hint: the key goes through the same stat, claim and publish as a
listed object, so a lost, late or repeated notification costs nothing but speed, and the
listing (now rarer) still finds whatever no notification announced.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote_plus, urlencode, urlparse, urlunparse

import pika
import pika.exceptions
from pika.exceptions import AMQPError

from zhibiao.plumbing.bus import CONNECTION_ERRORS
from zhibiao.plumbing.errors import TransientError


def created_keys(body: str, bucket: str) -> list[str]:
    """The object keys that one notification says were created in `bucket`, in full (prefix
    included, URL-decoding undone). Test events, other events, other buckets and anything
    unreadable give nothing."""
    try:
        event = json.loads(body)
    except ValueError:
        return []
    if isinstance(event, dict) and event.get("Type") == "Notification" and isinstance(event.get("Message"), str):
        return created_keys(event["Message"], bucket)  # delivered through an SNS topic
    records = event.get("Records") if isinstance(event, dict) else None
    keys = []
    for record in records if isinstance(records, list) else []:
        try:
            name = str(record.get("eventName", "")).removeprefix("s3:")
            s3 = record["s3"]
            if name.startswith("ObjectCreated") and s3["bucket"]["name"] == bucket:
                # keys arrive form-encoded: "杭州 报告.pdf" as "%E6%9D%AD%E5%B7%9E+%E6%8A%A5%E5%91%8A.pdf"
                keys.append(unquote_plus(s3["object"]["key"]))
        except (AttributeError, KeyError, TypeError):
            continue
    return keys


@dataclass(frozen=True)
class Notice:
    keys: list[str]
    receipt: str  # what the queue needs to forget the message


class SqsNotifications:
    """Long-polls an SQS queue; a message is deleted once its keys are handed over."""

    def __init__(self, queue: str, *, client=None) -> None:
        self.queue = queue
        self._client = client  # made on first use: opening contacts nothing
        self._url = queue if queue.startswith(("https://", "http://")) else None

    def __repr__(self) -> str:
        return f"SqsNotifications({self.queue!r})"

    def receive(self, bucket: str, *, wait_seconds: int = 10) -> list[Notice]:
        reply = self._call(
            lambda: self._client.receive_message(
                QueueUrl=self._queue_url(), MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds
            )
        )
        return [Notice(created_keys(m.get("Body", ""), bucket), m["ReceiptHandle"]) for m in reply.get("Messages", [])]

    def forget(self, notices: list[Notice]) -> None:
        if notices:
            entries = [{"Id": str(i), "ReceiptHandle": n.receipt} for i, n in enumerate(notices)]
            self._call(lambda: self._client.delete_message_batch(QueueUrl=self._queue_url(), Entries=entries))

    def _queue_url(self) -> str:
        if self._url is None:
            self._url = self._call(lambda: self._client.get_queue_url(QueueName=self.queue))["QueueUrl"]
        return self._url

    def _call(self, fn):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            if self._client is None:
                self._client = _sqs_client()
            return fn()
        except (ClientError, BotoCoreError) as exc:
            raise TransientError(f"bucket notifications from {self.queue}: {exc}") from exc


# The gap after which a burst of notices counts as over: the broker sends what is queued
# back to back, so longer only delays the handover.
_BURST_GAP_SECONDS = 0.05


class ForeignQueue:
    """Messages another system publishes to an exchange of its own (an S3 server's bucket
    notifications), read raw from a durable queue of ours bound to it: no envelope, no
    topology of ours. One thread uses it; TransientError whenever the broker is away (the
    next call reconnects). Unacked messages go back to the queue when the connection drops."""

    def __init__(self, url: str, *, exchange: str, queue: str, routing_key: str = "#", heartbeat: int = 20) -> None:
        self.exchange, self.queue, self.routing_key = exchange, queue, routing_key
        self._params = pika.URLParameters(url)
        self._params.heartbeat = heartbeat
        self._params.connection_attempts = 1
        self._conn = self._channel = None

    def _open(self):
        if self._channel is not None and self._channel.is_open and self._conn.is_open:
            return self._channel
        self.close()
        self._conn = pika.BlockingConnection(self._params)
        ch = self._conn.channel()
        ch.exchange_declare(self.exchange, passive=True)  # the S3 server's; it must say what kind
        ch.queue_declare(self.queue, durable=True, arguments={"x-queue-type": "quorum"})
        ch.queue_bind(self.queue, self.exchange, routing_key=self.routing_key)
        ch.basic_qos(prefetch_count=50)
        self._channel = ch
        return ch

    def get(self, *, wait_seconds: float, most: int = 10) -> list[tuple[int, bytes]]:
        """Up to `most` (delivery tag, body) pairs: waits up to `wait_seconds` for the first,
        then takes only what has already arrived and returns."""
        try:
            ch = self._open()
            out = []
            # pika's consume keeps the inactivity timeout it was started with: after a burst
            # it would wait that long again, so the rest is taken only while it keeps coming.
            for method, _props, body in ch.consume(self.queue, inactivity_timeout=wait_seconds):
                if method is None:
                    break
                out.append((method.delivery_tag, body))
                if len(out) >= most or not self._more_within(ch, _BURST_GAP_SECONDS):
                    break
            ch.cancel()  # what came in meanwhile goes back to the queue, unacked
            return out
        except (*CONNECTION_ERRORS, pika.exceptions.ChannelClosedByBroker) as exc:
            self.close()
            raise TransientError(f"bucket notifications from exchange {self.exchange!r}: {exc!r}") from exc

    def _more_within(self, ch, seconds: float) -> bool:
        """Whether another message of the consumer is here, or arrives within `seconds`."""
        if not ch.get_waiting_message_count():
            self._conn.process_data_events(time_limit=seconds)  # returns as soon as one arrives
        return bool(ch.get_waiting_message_count())

    def ack(self, tags: list[int]) -> None:
        if not tags:
            return
        try:
            self._open().basic_ack(max(tags), multiple=True)
        except CONNECTION_ERRORS as exc:
            self.close()  # unacked: redelivered, and a repeated notice costs nothing
            raise TransientError(f"bucket notifications from exchange {self.exchange!r}: {exc!r}") from exc

    def close(self) -> None:
        conn, self._conn, self._channel = self._conn, None, None
        if conn is not None and conn.is_open:
            with contextlib.suppress(AMQPError, OSError):
                conn.close()


class AmqpNotifications:
    """Reads an S3 server's notifications from a queue bound to the exchange it publishes to."""

    def __init__(
        self, url: str, *, exchange: str, queue: str = "zhibiao.bucket-events", routing_key: str = "#"
    ) -> None:
        self.queue = f"exchange {exchange}"
        self._source = ForeignQueue(url, exchange=exchange, queue=queue, routing_key=routing_key)

    def __repr__(self) -> str:
        return f"AmqpNotifications({self.queue!r})"

    def receive(self, bucket: str, *, wait_seconds: int = 10) -> list[Notice]:
        return [
            Notice(created_keys(body.decode("utf-8", "replace"), bucket), str(tag))
            for tag, body in self._source.get(wait_seconds=wait_seconds)
        ]

    def forget(self, notices: list[Notice]) -> None:
        self._source.ack([int(n.receipt) for n in notices])


def open_notifications(url: str) -> SqsNotifications | AmqpNotifications | None:
    """The notification queue a ZHIBIAO_BUCKET_EVENTS_URL names, or None when it is empty."""
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme in ("amqp", "amqps"):
        params = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        exchange = params.pop("exchange", "")
        if not exchange:
            raise ValueError(f"no exchange in {url!r}: add ?exchange=NAME (where the S3 server publishes)")
        ours = {k: params.pop(k) for k in ("queue", "routing_key") if k in params}
        broker = urlunparse(parsed._replace(query=urlencode(params)))  # the rest are pika's own
        return AmqpNotifications(broker, exchange=exchange, **ours)
    if parsed.scheme == "sqs" and parsed.netloc:
        return SqsNotifications(parsed.netloc + parsed.path.rstrip("/"))
    if parsed.scheme in ("https", "http") and parsed.netloc:
        return SqsNotifications(url)
    raise ValueError(
        f"unsupported bucket notification URL {url!r}: use sqs://QUEUE, the SQS queue URL or amqp://…?exchange=NAME"
    )


def _sqs_client():
    import boto3
    from botocore.config import Config

    # Long polls hold the connection for up to 20 s: the read timeout must be longer.
    config = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5, read_timeout=30)
    endpoint = os.environ.get("AWS_ENDPOINT_URL_SQS") or os.environ.get("AWS_ENDPOINT_URL")
    return boto3.session.Session().client("sqs", config=config, endpoint_url=endpoint or None)
