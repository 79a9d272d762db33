"""Reading S3 notifications (AWS event format) into object keys."""

from __future__ import annotations

import json

import pytest

from zhibiao.buckets.notifications import AmqpNotifications, SqsNotifications, created_keys, open_notifications


def record(key: str, *, bucket: str = "reports", event: str = "ObjectCreated:Put") -> dict:
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "eventName": event,
        "s3": {"bucket": {"name": bucket}, "object": {"key": key, "size": 3, "eTag": "abc"}},
    }


def test_created_objects_of_our_bucket_with_their_keys_decoded():
    body = json.dumps(
        {
            "Records": [
                record("inbox/%E6%9D%AD%E5%B7%9E+2024+%E6%8A%A5%E5%91%8A.pdf"),
                record("inbox/a%2Bb.txt", event="ObjectCreated:CompleteMultipartUpload"),
                record("gone.txt", event="ObjectRemoved:Delete"),
                record("theirs.txt", bucket="other"),
            ]
        }
    )
    assert created_keys(body, "reports") == ["inbox/杭州 2024 报告.pdf", "inbox/a+b.txt"]


def test_minio_style_names_and_sns_envelopes():
    minio = {
        "EventName": "s3:ObjectCreated:Put",
        "Key": "reports/a.txt",
        "Records": [record("a.txt", event="s3:ObjectCreated:Put")],
    }
    assert created_keys(json.dumps(minio), "reports") == ["a.txt"]
    sns = {"Type": "Notification", "TopicArn": "arn:aws:sns:x", "Message": json.dumps({"Records": [record("b.txt")]})}
    assert created_keys(json.dumps(sns), "reports") == ["b.txt"]


@pytest.mark.parametrize(
    "body",
    [
        '{"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "reports"}',  # sent when configured
        "not json",
        "[1, 2]",
        '{"Records": "x"}',
        '{"Records": [{"eventName": "ObjectCreated:Put"}]}',
        "null",
    ],
)
def test_test_events_and_garbage_announce_nothing(body):
    assert created_keys(body, "reports") == []


def test_notification_urls():
    assert open_notifications("") is None
    by_name = open_notifications("sqs://zhibiao-bucket-events")
    assert isinstance(by_name, SqsNotifications) and by_name.queue == "zhibiao-bucket-events"
    url = "https://sqs.eu-central-1.amazonaws.com/123456789012/zhibiao-events"
    assert open_notifications(url).queue == url
    amqp = open_notifications("amqp://u:p@broker:5672/%2F?exchange=minio-events&routing_key=reports.%23&heartbeat=30")
    assert isinstance(amqp, AmqpNotifications) and amqp.queue == "exchange minio-events"
    assert amqp._source.routing_key == "reports.#" and amqp._source.queue == "zhibiao.bucket-events"
    with pytest.raises(ValueError, match="exchange"):
        open_notifications("amqp://u:p@broker/%2F")
    with pytest.raises(ValueError):
        open_notifications("kafka://broker/topic")
