"""S3 bucket URLs and key mapping; the behaviour against a real S3 API is in tests/integration/test_s3.py."""

import pytest

from zhibiao.buckets import FolderBucket, S3Bucket, open_bucket


@pytest.mark.parametrize(
    "url, name, prefix",
    [
        ("s3://reports", "reports", ""),
        ("s3://reports/", "reports", ""),
        ("s3://reports/inbox", "reports", "inbox/"),
        ("s3://reports/inbox/2024/", "reports", "inbox/2024/"),
    ],
)
def test_s3_urls_name_a_bucket_and_a_prefix(url, name, prefix, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    b = open_bucket(url)
    assert isinstance(b, S3Bucket) and (b.name, b.prefix) == (name, prefix)
    assert b.watch_root() is None


def test_an_s3_url_needs_a_bucket_name():
    with pytest.raises(ValueError):
        open_bucket("s3:///prefix")


def test_a_folder_is_watched(tmp_path):
    assert FolderBucket(tmp_path).watch_root() == tmp_path.resolve()


@pytest.mark.parametrize(
    "full_key, key",
    [
        ("inbox/a.txt", "a.txt"),
        ("inbox/2024/b.pdf", "2024/b.pdf"),
        ("inbox/.zhibiao/taken/abc", None),  # the ledger
        ("inbox/.hidden", None),
        ("inbox/sub/", None),  # a console's folder marker
        ("other/a.txt", None),  # outside the prefix
    ],
)
def test_only_objects_under_the_prefix_are_input(full_key, key):
    assert S3Bucket("b", "inbox", client=object()).key_of(full_key) == key


@pytest.mark.parametrize("bad", ["", "/abs", "../x", "a/../../x", ".zhibiao/taken/x", "./a"])
def test_keys_cannot_leave_the_prefix(bad):
    with pytest.raises(ValueError):
        S3Bucket("b", "inbox", client=object())._full(bad)
