"""Number parsing: table tests from real report wording, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibiao.domain.numbers import find_numbers, parse_chinese_number, parse_number, scale_of


def figures(text: str) -> list[tuple]:
    return [(f.value, f.value_max, f.unit, text[f.start : f.end]) for f in find_numbers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("增长 1. 5%", [(1.5, None, "%", "1. 5%")]),
        ("全市生产总值 18 753 亿元", [(18753, None, "亿元", "18 753 亿元")]),
        ("完成 15373 亿元", [(15373, None, "亿元", "15373 亿元")]),
        ("1,234.5万元", [(1234.5, None, "万元", "1,234.5万元")]),
        ("８.８％", [(8.8, None, "%", "８.８％")]),
        ("增长-2.6%", [(-2.6, None, "%", "-2.6%")]),
        ("国内生产总值增长6.5%-7%", [(6.5, 7.0, "%", "6.5%-7%")]),
        ("增长6.5%－7%", [(6.5, 7.0, "%", "6.5%－7%")]),
        ("5.0%—5.5%", [(5.0, 5.5, "%", "5.0%—5.5%")]),
        ("6～6.5%", [(6.0, 6.5, "%", "6～6.5%")]),
        ("较上年提高1.58个百分点", [(1.58, None, "个百分点", "1.58个百分点")]),
        ("增长2倍", [(2.0, None, "倍", "2倍")]),
        ("实现两个翻一番", [(2.0, None, "倍", "翻一番")]),
        ("十件民生实事", [(10.0, None, "件", "十件")]),
        ("二〇二一年", [(2021.0, None, "年", "二〇二一年")]),
        ("两万人", [(2.0, None, "万人", "两万人")]),
        ("2.5万亿元", [(2.5, None, "万亿元", "2.5万亿元")]),
        ("粮食产量1.3万亿斤以上", [(1.3, None, "万亿斤", "1.3万亿斤")]),
        ("城乡居民人均可支配收入分别增长8.8%10.3%", [(8.8, None, "%", "8.8%"), (10.3, None, "%", "10.3%")]),
        ("倍差由1.87缩小至1.75", [(1.87, None, "", "1.87"), (1.75, None, "", "1.75")]),
        ("家庭年可支配收入20万至60万群体", [(20.0, 60.0, "万", "20万至60万")]),
        ("收入比缩小至1.7以内", [(1.7, None, "", "1.7")]),
    ],
)
def test_find_numbers(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("term", ["一般公共预算收入", "一带一路", "第三产业", "十四五", "三大攻坚战", "保持两位数增长"])
def test_fixed_terms_are_not_numbers(term):
    assert find_numbers(term) == []


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1. 5", 1.5),
        ("18,753", 18753),
        ("１５", 15),
        ("2.5万", 25000),
        ("3亿", 3e8),
        ("十", 10),
        ("一百零五", 105),
        ("两千", 2000),
        ("三万五千", 35000),
        ("一亿二千万", 1.2e8),
        ("二〇二一", 2021),
    ],
)
def test_parse_number(raw, value):
    assert parse_number(raw) == pytest.approx(value)


def test_scale_of_units():
    assert scale_of("万亿元") == 1e12 and scale_of("亿元") == 1e8 and scale_of("万人") == 1e4 and scale_of("%") == 1


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False))
def test_any_decimal_percent_reads_back(d):
    text = f"增长{d}%"
    found = find_numbers(text)
    assert len(found) == 1
    assert found[0].value == pytest.approx(float(d)) and found[0].unit == "%"
    assert text[found[0].start : found[0].end] == f"{d}%"


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["亿元", "万元", "万人", "元"]))
def test_full_width_digits_read_like_ascii(n, unit):
    wide = "".join(chr(0xFF10 + int(c)) for c in str(n))
    assert [(f.value, f.unit) for f in find_numbers(f"完成{wide}{unit}")] == [(float(n), unit)]


@given(st.integers(min_value=1000, max_value=999_999_999))
def test_thousands_separators(n):
    assert parse_number(f"{n:,}") == n


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n):
    assert parse_chinese_number(_to_chinese(n)) == n


@given(st.text(alphabet="0123456789.%-－—～,，、和亿万元个百分点增长下降 ", max_size=30))
def test_offsets_always_quote_the_text(text):
    for f in find_numbers(text):
        assert 0 <= f.start < f.end <= len(text)
        assert f.value_max is None or f.value_max > f.value


def _to_chinese(n: int) -> str:
    digits = "零一二三四五六七八九"

    def below_10k(k: int) -> str:
        out, zero = "", False
        for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = k // value % 10
            if d:
                out += ("零" if zero and out else "") + digits[d] + name
                zero = False
            else:
                zero = True
        return out

    high, low = divmod(n, 10_000)
    if not high:
        return below_10k(low)
    return below_10k(high) + "万" + ("零" if 0 < low < 1000 else "") + below_10k(low)


def test_more_than_between_number_and_unit_and_steps_that_are_no_units():
    more = find_numbers("城镇新增就业1270多万人")
    assert [(f.value, f.unit, f.more) for f in more] == [(1270, "万人", True)]
    assert [(f.value, f.unit) for f in find_numbers("全部工业增加值超8千亿元")] == [(8, "千亿元")]
    assert [(f.value, f.unit) for f in find_numbers("迈上5万亿台阶")] == [(5, "万亿")]


def test_more_after_a_bare_scale_word():
    # breadth/qinghai-2025 净增2万多户; national-2016 新增4万多亿元
    assert [(f.value, f.unit, f.more) for f in find_numbers("净增2万多户")] == [(2, "万户", True)]
    assert [(f.value, f.unit, f.more) for f in find_numbers("新增4万多亿元")] == [(4, "万亿元", True)]


def test_a_scale_word_alone_after_a_threshold_verb_is_one_of_it():
    # breadth/anhui-2026 进出口总额突破万亿元, neimenggu-2025 跨过万亿元大关, fuping-2021 突破百亿元大关
    assert [(f.value, f.unit) for f in find_numbers("进出口总额突破万亿元")] == [(1, "万亿元")]
    assert [(f.value, f.unit) for f in find_numbers("工业增加值跨过万亿元大关")] == [(1, "万亿元")]
    assert [(f.value, f.unit) for f in find_numbers("经济总量突破百亿元大关")] == [(1, "百亿元")]
    assert find_numbers("经济总量突破百亿元大关")[0].base_value == 1e10
    # a class of size, and a scale word with no verb of reaching, are no figures
    assert find_numbers("一般公共预算收入达万亿级规模") == []
    assert find_numbers("打造万亿元产业集群") == []


def test_figures_written_in_words():
    # wire copies of the 2007 reports (广东, 上海): numbers in Chinese words
    words = find_numbers("全省生产总值达到二万五千九百六十八点五五亿元,比上年增长百分之十四点一")
    assert [(f.value, f.unit) for f in words] == [(25968.55, "亿元"), (14.1, "%")]
    assert [(f.value, f.unit) for f in find_numbers("一万零二百九十七亿元，增长百分之十二")] == [
        (10297, "亿元"),
        (12, "%"),
    ]
    assert [(f.value, f.unit) for f in find_numbers("研发经费支出达到百分之二点六左右")] == [(2.6, "%")]
    # words that only hold numerals stay words
    assert find_numbers("一二三产业协调发展，万亿元级产业集群") == []
