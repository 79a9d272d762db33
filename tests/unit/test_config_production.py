"""Production refuses what would leave the deployment open (review F9): the broker user pika
would really log in as, not a substring of the URL; empty and well-known secrets; and any
spelling of the environment's name."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from zhibiao.plumbing.config import Settings, broker_credentials

GOOD_AMQP = "amqp://zhibiao:Xk3f9-q2LmPz@rabbitmq:5672/%2F"
GOOD_TOKEN = "5b0f0c9e2f4d4b7f8a1e6c3d9b2a7f40"


@pytest.mark.parametrize(
    ("url", "credentials"),
    [
        ("amqp://rabbitmq:5672/%2F", ("guest", "guest")),  # no user info: pika logs in as guest/guest
        ("amqp://:pw@rabbitmq/%2F", ("guest", "guest")),
        ("amqp://guest:%67uest@rabbitmq/%2F", ("guest", "guest")),
        ("amqp://%7A%62:a%40b@rabbitmq/%2F", ("zb", "a@b")),
        ("amqp://zb@rabbitmq/%2F", ("zb", "")),
    ],
)
def test_the_broker_user_is_the_one_pika_logs_in_as(url, credentials):
    assert broker_credentials(url) == credentials


@pytest.mark.parametrize(
    "url",
    [
        "amqp://guest:guest@127.0.0.1:5672/%2F",
        "amqp://rabbitmq:5672/%2F",
        "amqp://guest:%67uest@rabbitmq:5672/%2F",
        "amqp://%67uest:long-secret-1@rabbitmq:5672/%2F",
        "amqp://zhibiao@rabbitmq:5672/%2F",
        "amqp://zhibiao:@rabbitmq:5672/%2F",
        "amqp://zhibiao:change-me@rabbitmq:5672/%2F",
        "amqp://zhibiao:Change-Me@rabbitmq:5672/%2F",
        "amqps://zhibiao:password@rabbitmq:5671/%2F",
    ],
)
def test_production_refuses_a_guest_empty_or_default_broker_login(url):
    with pytest.raises(ValidationError, match="ZHIBIAO_AMQP_URL"):
        Settings(environment="production", amqp_url=url, api_token=GOOD_TOKEN)


@pytest.mark.parametrize("environment", ["production", "Production", "PRODUCTION", " production "])
def test_production_is_production_however_it_is_spelled(environment):
    with pytest.raises(ValidationError, match="guest"):
        Settings(environment=environment, api_token=GOOD_TOKEN)
    with pytest.raises(ValidationError, match="anonymous"):
        Settings(environment=environment, amqp_url=GOOD_AMQP, allow_anonymous_writes=True)


@pytest.mark.parametrize("token", ["change-me", "CHANGE-ME", "changeme", "password", " "])
def test_production_refuses_a_well_known_token(token):
    with pytest.raises(ValidationError, match="ZHIBIAO_API_TOKEN"):
        Settings(environment="production", amqp_url=GOOD_AMQP, api_token=token)


def test_production_refuses_a_well_known_database_password():
    with pytest.raises(ValidationError, match="ZHIBIAO_DATABASE_URL"):
        Settings(
            environment="production",
            amqp_url=GOOD_AMQP,
            api_token=GOOD_TOKEN,
            database_url="postgresql+psycopg://zhibiao:change-me@postgres:5432/zhibiao",
        )


def test_production_accepts_real_secrets_and_development_keeps_its_defaults():
    s = Settings(
        environment="Production",
        amqp_url=GOOD_AMQP,
        api_token=GOOD_TOKEN,
        database_url="postgresql+psycopg://zhibiao:Yq8-w2n@postgres:5432/zhibiao",
    )
    assert s.api_token == GOOD_TOKEN
    Settings(environment="production", amqp_url=GOOD_AMQP)  # no token: writes are refused, not open
    Settings(environment="development", api_token="change-me")  # local use keeps the embedded defaults
    Settings()
