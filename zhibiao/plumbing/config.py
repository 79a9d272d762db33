"""The one settings object. Built in each service's main() and passed down; nothing
reads the environment at import time."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Secrets that ship in examples, images and docs: a deployment using one is open to anyone.
KNOWN_DEFAULT_SECRETS = frozenset(
    {
        "",
        "guest",
        "change-me",
        "changeme",
        "change_me",
        "password",
        "passw0rd",
        "secret",
        "admin",
        "zhibiao",
        "postgres",
        "rabbitmq",
        "default",
        "test",
    }
)


def broker_credentials(amqp_url: str) -> tuple[str, str]:
    """The user and password pika logs in with: guest/guest when the URL names no user."""
    parts = urlsplit(amqp_url)
    if not parts.username:  # pika.URLParameters falls back to its default credentials
        return "guest", "guest"
    return unquote(parts.username), unquote(parts.password or "")


def _well_known(secret: str) -> bool:
    return secret.strip().lower() in KNOWN_DEFAULT_SECRETS


def production_problems(settings: Settings) -> list[str]:
    """What would leave a production deployment open; empty when nothing does."""
    problems = []
    user, password = broker_credentials(settings.amqp_url)
    if user == "guest":
        problems.append(
            "ZHIBIAO_AMQP_URL uses the guest user (a URL without a user logs in as guest); "
            "set a real broker user in production"
        )
    elif _well_known(password):
        problems.append("ZHIBIAO_AMQP_URL has an empty or well-known password; set a real one in production")
    db_password = urlsplit(settings.database_url).password
    if db_password is not None and _well_known(unquote(db_password)):
        problems.append("ZHIBIAO_DATABASE_URL has an empty or well-known password; set a real one in production")
    if settings.api_token is not None and _well_known(settings.api_token):
        problems.append("ZHIBIAO_API_TOKEN is empty or well known (e.g. change-me); set a random one in production")
    if not settings.api_token and settings.allow_anonymous_writes:
        problems.append("anonymous writes are not allowed in production; set ZHIBIAO_API_TOKEN")
    return problems


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHIBIAO_", extra="ignore")

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/%2F"
    database_url: str = "sqlite:///./data/zhibiao.db"
    bucket_url: str = "file://./data/bucket"
    # Where an S3 server sends its notifications of new objects (sqs://QUEUE or the queue's
    # URL); empty: listing alone finds them, every rescan_seconds.
    bucket_events_url: str = ""
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    # gateway worker processes; 0: one per core
    http_workers: int = 0
    api_token: str | None = None
    allow_anonymous_writes: bool = False
    # "production" refuses the unsafe embedded defaults (guest broker user, open writes).
    environment: str = "development"
    # Prefixes the exchange and queue names so that tests and parallel stacks share one broker.
    namespace: str = ""
    heartbeat_seconds: int = 20
    prefetch: int = 2
    # How often a message may be delivered before it is dead-lettered (worker crashes count).
    delivery_limit: int = 4
    # How often a transient failure may park a message in a delay queue before the document
    # fails with the last error as its reason (5 s, 30 s, then every 120 s: about 20 minutes).
    max_retries: int = 10
    # Largest message put on the bus. RabbitMQ refuses bigger ones (max_message_size: 128 MiB
    # in 3.x, 16 MiB in 4.x): a result over it fails its document instead of retrying forever.
    max_message_bytes: int = 64 * 1024 * 1024
    rescan_seconds: float = 5.0
    # How long a file in a folder bucket must keep its size and mtime before ingest takes it.
    settle_seconds: float = 2.0
    # Limits on untrusted input.
    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    # Pixels of one image (a file, an image inside a PDF page, or a page rendered for OCR).
    max_image_pixels: int = 50_000_000
    # Address space of one parsing process; OCR needs about 2 GiB of it.
    extract_memory_bytes: int = 3 << 30
    # OCR runs for tens of seconds a page and takes most of a core: one document at a time
    # per extract worker, so a second one never waits behind it unacked while others idle.
    extract_prefetch: int = 1
    extract_timeout_seconds: int = 900
    log_level: str = "INFO"
    log_format: str = "text"  # or "json": one object per line for log collectors
    # Workers serve Prometheus metrics on this port (the gateway at /metrics); 0 = off.
    metrics_port: int = 0

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        # "Production" or " production" is still production: a typo must not open it.
        if self.environment.strip().lower() == "production" and (problems := production_problems(self)):
            raise ValueError("; ".join(problems))
        return self

    @property
    def exchange(self) -> str:
        return f"{self.namespace}zhibiao"

    def queue(self, name: str) -> str:
        return f"{self.namespace}zhibiao.{name}"
