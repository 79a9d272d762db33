"""The four services as real processes on a private namespace, bucket and database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import AMQP_URL, REPO

SERVICES = ("store", "extract", "ingest", "gateway")


def upload(
    base: str,
    name: str,
    data: bytes,
    *,
    token: str = "e2e-token",
    timeout: float = 30,
    fields: dict[str, str] | None = None,
) -> tuple[int, dict]:
    """POST /v1/documents as a client would: multipart (with form `fields`, e.g. region=), bearer
    token. Returns (status, body)."""
    boundary = "zhibiaoboundary"
    payload = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in (fields or {}).items()
    ).encode()
    payload += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    req = urllib.request.Request(
        base + "/v1/documents",
        data=payload,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, json.loads(r.read())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    def __init__(self, workdir: Path, *, namespace: str, database_url: str, extra_env: dict | None = None) -> None:
        self.workdir = workdir
        self.bucket = workdir / "bucket"
        self.bucket.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "ZHIBIAO_AMQP_URL": AMQP_URL,
            "ZHIBIAO_NAMESPACE": namespace,
            "ZHIBIAO_DATABASE_URL": database_url,
            "ZHIBIAO_BUCKET_URL": f"file://{self.bucket}",
            "ZHIBIAO_HTTP_PORT": str(self.port),
            "ZHIBIAO_API_TOKEN": "e2e-token",
            "ZHIBIAO_RESCAN_SECONDS": "2",
            **(extra_env or {}),
        }
        self.procs: dict[str, list[subprocess.Popen]] = {name: [] for name in SERVICES}

    def start(self, name: str) -> subprocess.Popen:
        log = open(self.workdir / f"{name}-{len(self.procs[name])}.log", "wb")  # noqa: SIM115  (the process writes it)
        proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"],
            cwd=self.workdir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.procs[name].append(proc)
        return proc

    def start_all(self) -> Stack:
        for name in SERVICES:
            self.start(name)
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.get("/readyz")
                time.sleep(1.0)  # ingest's watcher and the consumers start alongside
                return
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.3)
        raise TimeoutError("gateway not ready:\n" + self.logs())

    def stop(self) -> None:
        for procs in self.procs.values():
            for p in procs:
                if p.poll() is None:
                    p.terminate()
        for procs in self.procs.values():
            for p in procs:
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.workdir.glob("*.log"))
        )

    def get(self, path: str):
        with urllib.request.urlopen(self.base + path, timeout=10) as r:
            body = r.read()
            return json.loads(body) if r.headers.get_content_type() == "application/json" else body.decode()

    def documents(self) -> list[dict]:
        items, cursor = [], None
        while True:
            page = self.get("/v1/documents?limit=1000" + (f"&cursor={cursor}" if cursor else ""))
            items += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                return items

    def wait_processed(self, count: int, timeout: float = 180) -> list[dict]:
        deadline = time.monotonic() + timeout
        docs: list[dict] = []
        while time.monotonic() < deadline:
            try:
                docs = self.documents()
            except OSError:
                docs = []
            if len([d for d in docs if d["status"] in ("done", "failed")]) >= count:
                return docs
            time.sleep(0.5)
        raise TimeoutError(f"{len(docs)} documents, not all processed:\n{docs}\n{self.logs()}")
