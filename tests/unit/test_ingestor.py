import os
import time

from services.ingest.ingestor import Ingestor
from zhibiao.buckets import FolderBucket
from zhibiao.plumbing.messages import operation_id


class FakePublisher:
    def __init__(self):
        self.sent = []

    def __call__(self, body, message_id):
        self.sent.append((body, message_id))


def test_rescan_takes_settled_files_once(tmp_path):
    bucket, pub = FolderBucket(tmp_path), FakePublisher()
    ing = Ingestor(bucket, pub)
    old = tmp_path / "report.txt"
    old.write_text("政府工作报告")
    os.utime(old, (time.time() - 60, time.time() - 60))
    assert ing.rescan() == 1
    assert ing.rescan() == 0
    body, mid = pub.sent[0]
    assert body.source_name == "report.txt" and mid == operation_id("received", body.document_id, "report.txt")


def test_a_file_still_being_written_waits(tmp_path):
    bucket, pub = FolderBucket(tmp_path), FakePublisher()
    ing = Ingestor(bucket, pub)
    (tmp_path / "growing.txt").write_text("part")
    assert ing.rescan(settle_seconds=30) == 0
    assert pub.sent == []


def test_publish_failure_leaves_the_file_untaken(tmp_path):
    bucket = FolderBucket(tmp_path)

    def broken(body, message_id):
        raise RuntimeError("broker away")

    p = tmp_path / "a.txt"
    p.write_text("x")
    ing = Ingestor(bucket, broken)
    try:
        ing.take(bucket.stat(p))
    except RuntimeError:
        pass
    assert not bucket.is_taken(bucket.stat(p))
