import hashlib

import pytest

from zhibiao.buckets import FolderBucket, open_bucket


def test_lists_files_but_not_its_own_ledger(tmp_path):
    b = FolderBucket(tmp_path)
    (tmp_path / "a.txt").write_text("甲")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("乙")
    (tmp_path / ".hidden").write_text("x")
    assert sorted(i.key for i in b.list()) == ["a.txt", "sub/b.md"]


def test_taken_is_forgotten_when_the_file_changes(tmp_path):
    b = FolderBucket(tmp_path)
    p = tmp_path / "a.txt"
    p.write_text("one")
    info = b.stat(p)
    assert not b.is_taken(info)
    b.mark_taken(info, b.sha256("a.txt"))
    assert b.is_taken(b.stat(p))
    p.write_text("two, longer")
    assert not b.is_taken(b.stat(p))


def test_uploads_get_generated_keys_and_keep_their_names(tmp_path):
    b = FolderBucket(tmp_path)
    key = b.put(b"%PDF-1.4 data", "../../etc/passwd")
    assert key.startswith("uploads/") and ".." not in key
    assert b.source_name(key) == "../../etc/passwd"
    assert b.sha256(key) == hashlib.sha256(b"%PDF-1.4 data").hexdigest()
    with pytest.raises(ValueError):
        b.read("../outside")


def test_bucket_urls(tmp_path):
    assert open_bucket(f"file://{tmp_path}").root == tmp_path.resolve()
    with pytest.raises(ValueError):
        open_bucket("ftp://x")
