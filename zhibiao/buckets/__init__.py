"""Where dropped files live: a folder (file://PATH, the default) or S3 (s3://bucket/prefix)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from zhibiao.buckets.contract import Bucket, ObjectInfo
from zhibiao.buckets.folder import FolderBucket
from zhibiao.buckets.s3 import S3Bucket

__all__ = ["Bucket", "FolderBucket", "ObjectInfo", "S3Bucket", "open_bucket"]


def open_bucket(url: str) -> FolderBucket | S3Bucket:
    """The bucket a ZHIBIAO_BUCKET_URL names; nothing is contacted yet."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        # file://./data/bucket is relative; file:///abs/path is absolute
        path = (parsed.netloc + parsed.path) if parsed.netloc else parsed.path
        return FolderBucket(Path(path))
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ValueError(f"no bucket name in {url!r}: use s3://bucket/prefix")
        return S3Bucket(parsed.netloc, parsed.path)
    raise ValueError(f"unsupported bucket URL {url!r}: use file://PATH or s3://bucket/prefix")
