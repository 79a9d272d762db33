import pytest
from pydantic import ValidationError

from zhibiao.plumbing.config import Settings


def test_embedded_defaults_match_the_contract(monkeypatch):
    for var in ("ZHIBIAO_AMQP_URL", "ZHIBIAO_DATABASE_URL", "ZHIBIAO_BUCKET_URL", "ZHIBIAO_HTTP_PORT"):
        monkeypatch.delenv(var, raising=False)
    s = Settings()
    assert s.amqp_url == "amqp://guest:guest@127.0.0.1:5672/%2F"
    assert s.database_url == "sqlite:///./data/zhibiao.db"
    assert s.bucket_url == "file://./data/bucket"
    assert (s.http_host, s.http_port) == ("127.0.0.1", 8000)
    assert s.api_token is None and not s.allow_anonymous_writes


def test_reads_the_environment(monkeypatch):
    monkeypatch.setenv("ZHIBIAO_HTTP_PORT", "9001")
    monkeypatch.setenv("ZHIBIAO_API_TOKEN", "s3cret")
    s = Settings()
    assert s.http_port == 9001 and s.api_token == "s3cret"


def test_production_refuses_the_guest_broker_user():
    with pytest.raises(ValidationError, match="guest"):
        Settings(environment="production")
    Settings(environment="production", amqp_url="amqp://zb:pw@rabbit:5672/%2F", api_token="t")


def test_namespace_prefixes_every_name():
    s = Settings(namespace="t1.")
    assert s.exchange == "t1.zhibiao" and s.queue("extract") == "t1.zhibiao.extract"
