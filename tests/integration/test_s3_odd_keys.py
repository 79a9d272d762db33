"""S3 keys that are legal for S3 but that the bucket will not address (`a//b`, `a/./b`) are
failed alone at ingest; and reads are pinned to the version that was hashed."""

from __future__ import annotations

import pytest

from services.ingest.ingestor import Ingestor
from tests.integration import test_s3
from tests.integration.test_s3 import drop
from zhibiao.buckets import open_bucket
from zhibiao.buckets.contract import Changed
from zhibiao.plumbing.messages import DocumentFailed, DocumentReceived

s3_env, s3_url = test_s3.s3_env, test_s3.s3_url  # the moto server and a fresh bucket, as there


class FakePublisher:
    def __init__(self):
        self.sent = []

    def __call__(self, body, message_id):
        self.sent.append(body)


def test_keys_with_empty_or_dot_segments_fail_alone_and_once(s3_url):
    for key in ("a//b.txt", "a/./c.txt", "/lead.txt", "z-good.txt"):
        drop(s3_url, key, f"政府工作报告 {key}".encode())
    pub = FakePublisher()
    Ingestor(open_bucket(s3_url), pub).rescan(settle_seconds=0)
    assert [m.key for m in pub.sent if isinstance(m, DocumentReceived)] == ["z-good.txt"]
    failed = sorted((m for m in pub.sent if isinstance(m, DocumentFailed)), key=lambda m: m.reason)
    assert len(failed) == 3 and all(m.stage == "ingest" and m.reason.startswith("文件名无法使用") for m in failed)
    assert {m.source_name for m in failed} == {"b.txt", "c.txt", "lead.txt"}
    again = FakePublisher()
    Ingestor(open_bucket(s3_url), again).rescan(settle_seconds=0)  # a restart: the ledger remembers the failures
    assert again.sent == []


def test_a_read_gets_the_version_that_was_hashed_or_nothing(s3_url):
    drop(s3_url, "r.txt", b"first version")
    bucket = open_bucket(s3_url)
    (info,) = bucket.list()
    assert bucket.read("r.txt", etag=info.etag) == b"first version"
    drop(s3_url, "r.txt", b"second version, rewritten in place")
    with pytest.raises(Changed):
        bucket.read("r.txt", etag=info.etag)
    with pytest.raises(Changed):
        bucket.sha256("r.txt", etag=info.etag)
