"""One object never stops ingestion of the others (a file that cannot be read is failed alone,
once), and a file is taken only once it is complete: quiet for the settle interval, under its
final name."""

from __future__ import annotations

import hashlib
import os
import threading
import time

from services.ingest.ingestor import Ingestor
from zhibiao.buckets import FolderBucket
from zhibiao.plumbing.messages import DocumentFailed, DocumentReceived


class FakePublisher:
    def __init__(self):
        self.sent = []

    def __call__(self, body, message_id):
        self.sent.append((body, message_id))

    def of(self, kind):
        return [body for body, _ in self.sent if isinstance(body, kind)]


class LockedFiles(FolderBucket):
    """A drop share where some files belong to another user: we run as root in the suite, for
    whom no mode bits make a file unreadable, so the refusal is the kernel's answer, played."""

    def __init__(self, root, locked):
        super().__init__(root)
        self.locked = locked

    def sha256(self, key, **kw):
        if key in self.locked:
            raise PermissionError(13, "Permission denied", str(self.root / key))
        return super().sha256(key, **kw)


def _old(path, text="政府工作报告"):
    path.write_text(text)
    os.utime(path, (time.time() - 60, time.time() - 60))
    return path


def test_an_unreadable_file_is_failed_alone_and_once(tmp_path):
    _old(tmp_path / "a-locked.txt")
    _old(tmp_path / "b-good.txt")
    pub = FakePublisher()
    Ingestor(LockedFiles(tmp_path, {"a-locked.txt"}), pub).rescan()
    (received,) = pub.of(DocumentReceived)
    (failed,) = pub.of(DocumentFailed)
    assert received.key == "b-good.txt"
    assert failed.stage == "ingest" and failed.source_name == "a-locked.txt"
    assert failed.reason.startswith("文件无法读取") and "Permission denied" in failed.reason
    # recorded in the ledger: another copy of ingest, or a restart, does not try it again
    again = FakePublisher()
    Ingestor(LockedFiles(tmp_path, {"a-locked.txt"}), again).rescan()
    assert again.sent == []


def test_a_fifo_is_failed_instead_of_blocking_ingest(tmp_path):
    os.mkfifo(tmp_path / "a-pipe.pdf")
    os.utime(tmp_path / "a-pipe.pdf", (time.time() - 60, time.time() - 60))  # long there, quiet
    _old(tmp_path / "b-good.txt")
    pub = FakePublisher()
    scan = threading.Thread(target=Ingestor(FolderBucket(tmp_path), pub).rescan, daemon=True)
    scan.start()
    scan.join(60)  # no bound on speed: a blocked open() never returns at all
    if scan.is_alive():  # unblock the reader so the thread ends
        os.close(os.open(tmp_path / "a-pipe.pdf", os.O_WRONLY | os.O_NONBLOCK))
    assert not scan.is_alive(), "ingest blocked forever on opening a FIFO"
    assert [b.key for b in pub.of(DocumentReceived)] == ["b-good.txt"]
    (failed,) = pub.of(DocumentFailed)
    assert failed.stage == "ingest" and "not a regular file" in failed.reason


def test_temporary_names_are_never_taken(tmp_path):
    for name in ("r.pdf.part", "r.pdf.crdownload", "r.tmp", "~$report.docx", ".r.pdf", "r.pdf.PART"):
        _old(tmp_path / name)
    pub = FakePublisher()
    Ingestor(FolderBucket(tmp_path), pub).rescan()
    assert pub.sent == []
    os.replace(tmp_path / "r.pdf.part", tmp_path / "r.pdf")  # the download finished
    Ingestor(FolderBucket(tmp_path), pub).rescan()
    assert [b.key for b in pub.of(DocumentReceived)] == ["r.pdf"]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_file_is_taken_only_after_it_has_been_quiet(tmp_path):
    """Every append is seen (as a file event would show it); only the final bytes are taken."""
    bucket, pub, clock = FolderBucket(tmp_path), FakePublisher(), Clock()
    ing = Ingestor(bucket, pub, settle_seconds=2.0, clock=clock)
    path = tmp_path / "report.txt"
    parts = [f"第{i}段 全市生产总值增长6.5%。\n".encode() for i in range(4)]
    for i, part in enumerate(parts):
        with open(path, "ab") as f:
            f.write(part)
        os.utime(path, ns=(i * 10**9 + 1, i * 10**9 + 1))  # each append moves the mtime
        assert ing.offer(bucket.stat(path)) is False
        clock.now += 1.0
        ing.recheck()
        assert pub.sent == []
    clock.now += 1.0
    ing.recheck()
    (received,) = pub.of(DocumentReceived)
    assert received.size_bytes == len(b"".join(parts))
    assert received.document_id == hashlib.sha256(b"".join(parts)).hexdigest()
