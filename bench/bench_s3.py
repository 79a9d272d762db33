"""S3 buckets: a report put into an s3:// bucket -> its facts queryable through the gateway,
found by the server's notification (SQS) against found by listing every 5 s (the default
ZHIBIAO_RESCAN_SECONDS). The S3 and SQS server is moto's, on loopback, in this process."""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import TEXT_SAMPLES, get_json, load, pipeline, summary
from tests.s3server import announce_created_objects, start_moto

RUNS = 8
SOURCE = next(p for p in TEXT_SAMPLES if p.name == "hangzhou-2023-work-report.txt")


def moto_server() -> dict[str, str]:
    _server, env = start_moto()
    os.environ.update(env)
    return env


def bucket_with_events(name: str) -> str:
    """A bucket that announces created objects on an SQS queue; returns sqs://QUEUE."""
    import boto3

    boto3.client("s3").create_bucket(Bucket=name)
    return announce_created_objects(name)


def put_into(bucket: str):
    import boto3

    client = boto3.client("s3")

    def drop(_stack, files: list[tuple[str, bytes]]) -> float:
        started = time.perf_counter()
        for name, data in files:
            client.put_object(Bucket=bucket, Key=f"reports/{name}", Body=data)
        return started

    return drop


def latencies(env: dict[str, str], *, notified: bool) -> list[float]:
    bucket = f"bench-{uuid.uuid4().hex[:10]}"
    extra = {**env, "ZHIBIAO_BUCKET_URL": f"s3://{bucket}/reports"}
    if notified:
        extra["ZHIBIAO_BUCKET_EVENTS_URL"] = bucket_with_events(bucket)
    drop = put_into(bucket)
    found = []
    with pipeline(rescan_seconds=600.0 if notified else 5.0, extra_env=extra, drop=drop) as stack:
        for i in range(RUNS):
            data = SOURCE.read_bytes() + f"\n{'-' * (i + 1)}\n".encode()  # other bytes each run
            document_id = hashlib.sha256(data).hexdigest()
            started = drop(stack, [(f"report-{i}.txt", data)])
            while not get_json(stack, f"/v1/facts?document_id={document_id}&limit=1")["items"]:
                if time.perf_counter() - started > 60:
                    raise TimeoutError(f"no facts within 60 s\n{stack.logs()}")
                time.sleep(0.02)
            found.append(time.perf_counter() - started)
            time.sleep((i * 1.3) % 5)  # drops fall at different points of the listing period
    return found


def main() -> None:
    env = moto_server()
    print(f"s3: {SOURCE.name} put into an s3:// bucket (moto on loopback), {RUNS} runs each; {load()}")
    notified = latencies(env, notified=True)
    listed = latencies(env, notified=False)
    print(f"  by notification (SQS):     {summary(notified)}")
    print(f"  by listing every 5 s:      {summary(listed)}")
    print(f"  ratio listing/notification: {statistics.median(listed) / statistics.median(notified):.1f}x; {load()}")


if __name__ == "__main__":
    main()
