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

import json
import os
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote_plus, urlencode, urlparse, urlunparse

from zhibiao.errors import TransientError


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
        reply = self._call(lambda: self._client.receive_message(
            QueueUrl=self._queue_url(), MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds))
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


class AmqpNotifications:
    """Reads an S3 server's notifications from a queue bound to the exchange it publishes to."""

    def __init__(self, url: str, *, exchange: str, queue: str = "zhibiao.bucket-events", routing_key: str = "#") -> None:
        from zhibiao.bus import ForeignQueue

        self.queue = f"exchange {exchange}"
        self._source = ForeignQueue(url, exchange=exchange, queue=queue, routing_key=routing_key)

    def __repr__(self) -> str:
        return f"AmqpNotifications({self.queue!r})"

    def receive(self, bucket: str, *, wait_seconds: int = 10) -> list[Notice]:
        return [Notice(created_keys(body.decode("utf-8", "replace"), bucket), str(tag))
                for tag, body in self._source.get(wait_seconds=wait_seconds)]

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
    raise ValueError(f"unsupported bucket notification URL {url!r}: use sqs://QUEUE, the SQS queue URL "
                     "or amqp://…?exchange=NAME")


def _sqs_client():
    import boto3
    from botocore.config import Config

    # Long polls hold the connection for up to 20 s: the read timeout must be longer.
    config = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5, read_timeout=30)
    endpoint = os.environ.get("AWS_ENDPOINT_URL_SQS") or os.environ.get("AWS_ENDPOINT_URL")
    return boto3.session.Session().client("sqs", config=config, endpoint_url=endpoint or None)
