"""A region query resolved by the division table alone (params.asked_regions), and the level
the store keeps with each fact's region (regions.level_of), as GET /v1/facts reads them
instead of every stored region."""

from __future__ import annotations

import pytest

from services.gateway.errors import ApiError
from services.gateway.params import asked_regions
from zhibiao.domain import regions


def test_the_level_kept_with_a_region():
    assert [regions.level_of(n) for n in ("全国", "浙江省", "杭州市", "杭州市滨江区", None)] == [
        "national",
        "province",
        "city",
        "district",
        None,
    ]


def test_a_region_query_asks_no_stored_name_when_the_table_knows_it():
    asked = []
    names = asked_regions("浙江", True, asked.append)
    assert "杭州市" in names and "浙江省" in names and "杭州市滨江区" in names
    assert asked == []


def test_a_stored_name_the_table_does_not_know_answers_to_itself_and_to_no_level():
    stored = {"杭州高新技术产业开发区"}
    assert asked_regions("杭州高新技术产业开发区", False, stored.__contains__) == ("杭州高新技术产业开发区",)
    assert regions.level_of("杭州高新技术产业开发区") is None
    with pytest.raises(ApiError):
        asked_regions("不存在的地方", False, stored.__contains__)
