"""The bucket's public names, kept here for the services that import them from this module."""

from zhibiao.buckets import Bucket, FolderBucket, ObjectInfo, S3Bucket, open_bucket

__all__ = ["Bucket", "FolderBucket", "ObjectInfo", "S3Bucket", "open_bucket"]
