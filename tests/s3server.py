"""moto's standalone S3 and SQS server on loopback, shared by the S3 tests and bench_s3.py."""

from __future__ import annotations

import logging

from tests.e2e.stack import free_port


def start_moto() -> tuple[object, dict[str, str]]:
    """A running server and the AWS_* variables that point boto3 at it."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "zhibiao-test",
        "AWS_SECRET_ACCESS_KEY": "zhibiao-test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


def announce_created_objects(bucket: str) -> str:
    """Have the server announce every object created in `bucket` (which must exist) on an SQS
    queue, as an operator configures it; returns sqs://QUEUE."""
    import boto3

    sqs = boto3.client("sqs")
    queue = f"{bucket}-events"
    url = sqs.create_queue(QueueName=queue)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    boto3.client("s3").put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]},
    )
    return f"sqs://{queue}"
