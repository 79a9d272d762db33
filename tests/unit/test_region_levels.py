"""An admin level and a region query resolved by the division table alone (regions.level_names,
params.filtered_regions), as GET /v1/facts does instead of reading every stored region."""

from __future__ import annotations

import pytest

from services.gateway.errors import ApiError
from services.gateway.params import filtered_regions
from zhibiao.domain import regions


@pytest.mark.parametrize("level", ["national", "province", "city", "district", "county"])
def test_every_name_of_a_level_has_that_level(level):
    names = regions.level_names(level)
    assert names and all(regions.level_of(n) == level for n in names)


def test_a_level_holds_the_full_names_as_stored():
    assert "浙江省" in regions.level_names("province")
    assert "杭州市" in regions.level_names("city")
    assert "杭州市滨江区" in regions.level_names("district")
    assert "杭州市" not in regions.level_names("province")


def test_a_level_alone_asks_no_stored_name():
    asked = []
    assert filtered_regions(None, False, "province", asked.append) == regions.level_names("province")
    assert filtered_regions(None, False, None, asked.append) is None
    assert asked == []


def test_a_region_and_a_level():
    names = filtered_regions("浙江", True, "city", lambda name: False)
    assert "杭州市" in names and "浙江省" not in names and "杭州市滨江区" not in names


def test_a_stored_name_the_table_does_not_know_answers_to_itself_and_to_no_level():
    stored = {"杭州高新技术产业开发区"}
    assert filtered_regions("杭州高新技术产业开发区", False, None, stored.__contains__) == ("杭州高新技术产业开发区",)
    assert filtered_regions("杭州高新技术产业开发区", False, "district", stored.__contains__) == ()
    with pytest.raises(ApiError):
        filtered_regions("不存在的地方", False, None, stored.__contains__)
