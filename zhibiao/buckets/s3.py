"""An S3-compatible bucket (s3://bucket/prefix) through boto3.

Endpoint, credentials and region come from the environment as every AWS tool reads
them (AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_DEFAULT_REGION). New objects are found by listing: S3 sends no file events.

Ingest's ledger lives beside the objects, one marker per object under
`<prefix>.zhibiao/taken/`, so restarts and several ingest copies share it. A marker is
first a claim ("copy X is publishing this version", written with a conditional PUT so
that only one copy wins) and becomes "taken" once the broker confirmed; a claim left by
a copy that died expires after `claim_seconds`. Versions are told apart by ETag and size.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from zhibiao.buckets.contract import INTERNAL, Changed, ObjectInfo, is_input_name, upload_key
from zhibiao.plumbing.errors import PermanentError, TransientError

# S3 user metadata travels in HTTP headers (ASCII): the original name is percent-encoded.
_NAME_META = "source-name"


class _Conflict(Exception):
    """A conditional write lost: another writer got there first."""


class _Unsupported(Exception):
    """The server does not implement conditional writes."""


class S3Bucket:
    def __init__(self, name: str, prefix: str = "", *, client=None, claim_seconds: float = 120.0) -> None:
        self.name = name
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.claim_seconds = claim_seconds
        self._client = client if client is not None else _client_from_environment()
        # Which copy of ingest holds a claim: host, process and a random part for restarts.
        self._owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        # Versions known taken: the ledger never forgets, so neither do we (saves a GET per object per rescan).
        self._known_taken: set[tuple[str, str, int]] = set()
        self._bucket_ready = False

    def __repr__(self) -> str:
        return f"S3Bucket('s3://{self.name}/{self.prefix}')"

    def watch_root(self) -> Path | None:
        return None

    # keys ------------------------------------------------------------------------------

    def _full(self, key: str) -> str:
        parts = key.split("/")
        if any(p in ("", ".", "..") for p in parts) or parts[0] == INTERNAL:
            raise ValueError(f"key outside the bucket: {key!r}")
        return self.prefix + key

    def key_of(self, full_key: str) -> str | None:
        """The key under the prefix, or None for internal, hidden or folder-marker objects."""
        if not full_key.startswith(self.prefix) or full_key.endswith("/"):
            return None
        rel = full_key[len(self.prefix) :]
        # Split by hand: PurePosixPath would fold "a//b" and "a/./b" into "a/b", another key.
        # Such keys are returned as they are; _full refuses them, and ingest fails them alone.
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        if not parts or any(p.startswith(".") and p != ".." for p in parts) or not is_input_name(parts[-1]):
            return None
        return rel

    def _marker(self, key: str) -> str:
        return f"{self.prefix}{INTERNAL}/taken/{hashlib.sha1(key.encode()).hexdigest()}"

    # objects ---------------------------------------------------------------------------

    def list(self) -> Iterator[ObjectInfo]:
        self._ensure_bucket()
        pages = self._call(
            lambda: iter(self._client.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=self.prefix))
        )
        while True:
            page = self._call(lambda: next(pages, None))
            if page is None:
                return
            for obj in page.get("Contents", []):
                key = self.key_of(obj["Key"])
                if key is not None:
                    yield ObjectInfo(
                        key=key,
                        size=obj["Size"],
                        mtime=obj["LastModified"].timestamp(),
                        etag=obj.get("ETag", "").strip('"'),
                    )

    def stat(self, key: str) -> ObjectInfo | None:
        try:
            head = self._call(lambda: self._client.head_object(Bucket=self.name, Key=self._full(key)))
        except FileNotFoundError:
            return None
        return ObjectInfo(
            key=key,
            size=head["ContentLength"],
            mtime=head["LastModified"].timestamp(),
            etag=head.get("ETag", "").strip('"'),
        )

    def read(self, key: str, *, etag: str = "") -> bytes:
        body = self._get(key, etag)
        return self._call(body.read)

    def sha256(self, key: str, *, etag: str = "") -> str:
        body = self._get(key, etag)
        digest = hashlib.sha256()
        chunks = self._call(lambda: body.iter_chunks(1 << 20))
        while chunk := self._call(lambda: next(chunks, b"")):
            digest.update(chunk)
        return digest.hexdigest()

    def _get(self, key: str, etag: str):
        """The body of the object; with `etag`, of that version only (GetObject IfMatch), so what
        is read is what was hashed: an object overwritten meanwhile raises Changed."""
        full = self._full(key)
        pin = {"IfMatch": f'"{etag}"'} if etag else {}
        try:
            return self._call(lambda: self._client.get_object(Bucket=self.name, Key=full, **pin)["Body"])
        except _Conflict:
            raise Changed(f"{key} was overwritten after it was registered (its ETag is no longer {etag})") from None

    def put(self, data: bytes, source_name: str, folder: str = "") -> str:
        """An upload under a generated key; its original name goes into the object's metadata."""
        self._ensure_bucket()
        key = upload_key(folder)
        self._call(
            lambda: self._client.put_object(
                Bucket=self.name, Key=self._full(key), Body=data, Metadata={_NAME_META: quote(source_name, safe="")}
            )
        )
        return key

    def source_name(self, key: str) -> str:
        try:
            head = self._call(lambda: self._client.head_object(Bucket=self.name, Key=self._full(key)))
        except FileNotFoundError:
            return PurePosixPath(key).name
        name = head.get("Metadata", {}).get(_NAME_META)
        return unquote(name) if name else PurePosixPath(key).name

    def delete(self, key: str) -> None:
        # S3 answers 204 for a key that is not there, so a second delete is no error
        self._call(lambda: self._client.delete_object(Bucket=self.name, Key=self._full(key)))

    # the ledger ------------------------------------------------------------------------

    def is_taken(self, info: ObjectInfo) -> bool:
        """True when this version was published, or another ingest copy holds a fresh claim on
        it. Otherwise this copy claims it and the answer is False: go ahead and publish."""
        version = (info.key, info.etag, info.size)
        if version in self._known_taken:
            return True
        marker, marker_etag = self._read_marker(info.key)
        same_version = marker is not None and (marker.get("etag"), marker.get("size")) == (info.etag, info.size)
        if same_version and marker.get("state") == "taken":
            self._known_taken.add(version)
            return True
        if (
            same_version
            and marker.get("owner") != self._owner
            and time.time() - float(marker.get("at", 0)) < self.claim_seconds
        ):
            return True
        claim = {
            "state": "claimed",
            "key": info.key,
            "etag": info.etag,
            "size": info.size,
            "owner": self._owner,
            "at": time.time(),
        }
        try:
            self._write_marker(info.key, claim, if_match=marker_etag)
        except _Conflict:
            return True
        return False

    def mark_taken(self, info: ObjectInfo, sha256: str) -> None:
        taken = {
            "state": "taken",
            "key": info.key,
            "etag": info.etag,
            "size": info.size,
            "sha256": sha256,
            "owner": self._owner,
            "at": time.time(),
        }
        self._call(
            lambda: self._client.put_object(
                Bucket=self.name,
                Key=self._marker(info.key),
                Body=json.dumps(taken).encode(),
                ContentType="application/json",
            )
        )
        self._known_taken.add((info.key, info.etag, info.size))

    def _read_marker(self, key: str) -> tuple[dict | None, str | None]:
        try:
            got = self._call(lambda: self._client.get_object(Bucket=self.name, Key=self._marker(key)))
            body = self._call(got["Body"].read)
        except FileNotFoundError:
            return None, None
        try:
            return json.loads(body), got["ETag"]
        except ValueError:
            return {}, got["ETag"]

    def _write_marker(self, key: str, data: dict, *, if_match: str | None) -> None:
        """Create the marker only if absent, or replace only the version we read: one winner."""
        condition = {"IfMatch": if_match} if if_match else {"IfNoneMatch": "*"}
        body = json.dumps(data).encode()

        def put(**extra):
            return self._client.put_object(
                Bucket=self.name, Key=self._marker(key), Body=body, ContentType="application/json", **extra
            )

        try:
            self._call(lambda: put(**condition))
        except _Unsupported:
            # Servers without conditional writes: the claim only narrows the race; the store
            # still applies each message once, so a double publish costs work, not data.
            self._call(put)

    # the client ------------------------------------------------------------------------

    def _ensure_bucket(self) -> None:
        """Create the bucket on first use if it is missing (a fresh compose volume, a test)."""
        if self._bucket_ready:
            return
        try:
            self._call(lambda: self._client.head_bucket(Bucket=self.name))
        except FileNotFoundError:
            try:
                self._call(lambda: self._client.create_bucket(Bucket=self.name, **_location(self._client)))
            except _Conflict:
                pass  # created meanwhile by another service
        self._bucket_ready = True

    def _call(self, fn):
        """Run one client call, mapping its errors onto ours: missing -> FileNotFoundError,
        lost condition -> _Conflict, refused for this object -> PermanentError, anything from
        the surroundings -> TransientError."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return fn()
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404 or code in ("NoSuchKey", "NotFound", "NoSuchBucket", "404"):
                raise FileNotFoundError(error.get("Message") or code) from exc
            if status in (409, 412) or code in (
                "PreconditionFailed",
                "ConditionalRequestConflict",
                "BucketAlreadyOwnedByYou",
                "BucketAlreadyExists",
            ):
                raise _Conflict(code) from exc
            if status == 501 or code == "NotImplemented":
                raise _Unsupported(code) from exc
            # Refused for this object (a bucket policy, a KMS key, an archived object): asking
            # again gives the same answer, so the document fails with the reason at once.
            if status == 403 or code in ("AccessDenied", "AllAccessDisabled", "KMS.AccessDeniedException"):
                raise PermanentError(
                    f"S3 refused access: {code or status}: {error.get('Message', '')}",
                    zh="没有读取该对象的权限：请检查存储桶策略或加密密钥后重新处理",
                ) from exc
            if code == "InvalidObjectState":
                raise PermanentError(
                    f"S3 {code}: {error.get('Message', '')} (archived; restore it first)",
                    zh="对象已归档，无法读取：请先恢复对象后重新处理",
                ) from exc
            raise TransientError(f"S3 {code or status}: {error.get('Message', '')}") from exc
        except BotoCoreError as exc:
            raise TransientError(f"S3 unreachable: {exc}") from exc


def _client_from_environment():
    import boto3
    from botocore.config import Config

    # Servers other than AWS want path-style addressing; recent botocore sends checksums
    # that some of them reject unless asked only when required.
    custom_endpoint = bool(os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"))
    config = Config(
        retries={"max_attempts": 4, "mode": "standard"},
        connect_timeout=5,
        read_timeout=60,
        s3={"addressing_style": "path" if custom_endpoint else "auto"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return boto3.session.Session().client("s3", config=config)


def _location(client) -> dict:
    region = client.meta.region_name
    if not region or region == "us-east-1":
        return {}
    return {"CreateBucketConfiguration": {"LocationConstraint": region}}
