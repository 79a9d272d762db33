"""Filters that say no, and the ones an analyst asks for (issues 14 and 15): unknown parameters
and values outside a closed vocabulary answer 422 with what is allowed; regions by any of their
names and by hierarchy; admin_level, value bounds, sort and totals; figures outside the catalogue
by subject, and the subjects themselves. Over real reports the store wrote, on SQLite and
PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.gateway.app import create_app
from services.gateway.routes import facts as facts_routes
from services.store.handler import handle_event
from tests.conftest import SAMPLES, SHARED
from tests.integration.test_store import _deliver
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.domain.search_text import query_tokens
from zhibiao.parsing.extraction import EXTRACTOR_VERSION, extract_bytes
from zhibiao.plumbing.config import Settings
from zhibiao.plumbing.messages import DocumentExtracted, DocumentReceived

pytestmark = pytest.mark.integration
BREADTH = SHARED / "corpus" / "breadth"
# three cities' and a district's reports, and four provinces' 2026 reports: 海南 aims at 6% 左右,
# 四川 5.5% 左右, 安徽 5%–5.5%, 河北 5% 以上
FILES = (
    SAMPLES / "hangzhou-2022-work-report.txt",
    SAMPLES / "hangzhou-2023-work-report.txt",
    SAMPLES / "binjiang-2020-work-report.md",
    SAMPLES / "sichuan-2026.txt",
    BREADTH / "hainan-2026.txt",
    BREADTH / "anhui-2026.txt",
    BREADTH / "hebei-2026.txt",
)


def doc_id(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def extracted(path: Path) -> DocumentExtracted:
    fields = extract_bytes(path.read_bytes(), path.name).fields()
    return DocumentExtracted(document_id=doc_id(path), extractor_version=EXTRACTOR_VERSION, **fields)


def seed(sessions, path: Path) -> None:
    received = DocumentReceived(
        document_id=doc_id(path),
        key=path.name,
        source_name=path.name,
        size_bytes=path.stat().st_size,
        received_at=datetime.now(UTC),
    )
    handle_event(_deliver(received, f"received:{path.name}"), sessions=sessions)
    handle_event(_deliver(extracted(path), f"extracted:{path.name}"), sessions=sessions)


@pytest.fixture
def client(database_url, tmp_path, namespace):
    if not BREADTH.is_dir():
        pytest.skip(f"{BREADTH} is not here")
    engine = make_engine(database_url, writer=True)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    for path in FILES:
        seed(sessions, path)
    engine.dispose()
    settings = Settings(database_url=database_url, bucket_url=f"file://{tmp_path}/bucket", namespace=namespace)
    with TestClient(create_app(settings)) as c:
        yield c


def error(response, status: int = 422) -> dict:
    assert response.status_code == status, response.text
    return response.json()["error"]


def test_which_provinces_set_a_gdp_growth_target_of_at_least_6_percent_for_2026(client):
    """Issue 15's question, in one request."""
    body = client.get(
        "/v1/facts",
        params={
            "indicator": "gdp",
            "kind": "target",
            "measure": "growth",
            "period": "2026",
            "admin_level": "province",
            "value_gte": 6,
        },
    ).json()
    assert {f["region"] for f in body["items"]} == {"海南省"} and body["total"] == len(body["items"])
    [hainan] = {f["document_id"]: f for f in body["items"]}.values()
    assert (hainan["value"], hainan["qualifier"]) == (6.0, "about")
    # a range counts by its lower end: 安徽's 5%–5.5% is not >= 5.5, 四川's 5.5% 左右 is
    at_least = client.get(
        "/v1/facts",
        params={
            "indicator": "gdp",
            "kind": "target",
            "measure": "growth",
            "period": "2026",
            "admin_level": "province",
            "value_gte": 5.5,
        },
    )
    assert {f["region"] for f in at_least.json()["items"]} == {"海南省", "四川省"}
    at_most = client.get(
        "/v1/facts",
        params={
            "indicator": "gdp",
            "kind": "target",
            "measure": "growth",
            "period": "2026",
            "value_lte": 5.5,
            "sort": "-value",
        },
    ).json()
    assert {f["region"] for f in at_most["items"]} == {"四川省", "安徽省", "河北省"}
    assert [f["value"] for f in at_most["items"]] == sorted((f["value"] for f in at_most["items"]), reverse=True)


def test_several_periods_in_one_request(client):
    """The UX report's question 2 asks for two years at once: period=2022,2026 is either."""
    ask = {"indicator": "gdp", "kind": "target", "measure": "growth", "value_gte": 6}
    body = client.get("/v1/facts", params={**ask, "period": "2022,2026"}).json()
    assert {(f["region"], f["period"]) for f in body["items"]} == {("杭州市", "2022"), ("海南省", "2026")}
    assert body["total"] == 2
    one = client.get("/v1/facts", params={**ask, "period": "2026"}).json()
    assert {f["region"] for f in one["items"]} == {"海南省"}
    assert client.get("/v1/facts", params={**ask, "period": "2022，2026"}).json()["total"] == 2  # a Chinese comma
    assert error(client.get("/v1/facts", params={**ask, "period": "2026,明年"}))["code"] == "invalid_request"
    xlsx = client.get("/v1/facts", params={**ask, "period": "2022,2026", "format": "csv"})
    assert xlsx.status_code == 200 and xlsx.content.decode("utf-8-sig").count("\r\n") == 3  # a header, two rows


def test_unknown_parameters_and_values_outside_a_vocabulary_answer_422_with_what_is_allowed(client):
    e = error(client.get("/v1/facts", params={"value_gt": 6}))
    assert e["code"] == "unknown_parameter" and "value_gt" in e["message"] and "value_gte" in e["message"]
    assert error(client.get("/v1/documents", params={"q": "杭州"}))["code"] == "unknown_parameter"
    assert "leader" in error(client.get("/v1/series", params={"indicator": "gdp", "leader": "x"}))["message"]
    assert "'actual' or 'target'" in error(client.get("/v1/facts", params={"kind": "bogus"}))["message"]
    assert "'done'" in error(client.get("/v1/documents", params={"status": "bogus"}))["message"]
    assert "province" in error(client.get("/v1/facts", params={"admin_level": "state"}))["message"]
    assert "'-value'" in error(client.get("/v1/facts", params={"sort": "size"}))["message"]
    e = error(client.get("/v1/facts", params={"indicator": "gross"}))
    assert e["code"] == "unknown_indicator" and "gdp" in e["message"] and "none" in e["message"]
    assert error(client.get("/v1/facts", params={"region": "杭"}))["code"] == "unknown_region"
    assert error(client.get("/v1/facts", params={"period": "last year"}))["code"] == "invalid_request"
    assert error(client.get("/v1/facts", params={"value_gte": 6, "value_lte": 5}))["code"] == "invalid_request"
    # the catalogue's Chinese name and aliases are the code
    by_code = client.get("/v1/facts", params={"indicator": "gdp", "limit": 1000}).json()
    for name in ("GDP", "地区生产总值", "Gdp"):
        assert client.get("/v1/facts", params={"indicator": name, "limit": 1000}).json() == by_code
    # the page's own assets are not /v1: a cache-busting parameter is no error
    assert client.get("/", params={"v": "1"}).status_code == 200


def test_regions_by_any_of_their_names_and_with_their_subregions(client):
    def regions(path: str, **params) -> set:
        return {i["region"] for i in client.get(path, params={"limit": 1000, **params}).json()["items"]}

    for path in ("/v1/documents", "/v1/facts"):
        assert regions(path, region="杭州") == regions(path, region="杭州市") == {"杭州市"}
        assert regions(path, region="浙江省杭州市") == {"杭州市"}
        assert regions(path, region="杭州", include_subregions=True) == {"杭州市", "杭州市滨江区"}
        assert regions(path, region="浙江", include_subregions=True) == {"杭州市", "杭州市滨江区"}
        assert regions(path, region="滨江区") == {"杭州市滨江区"}
        assert regions(path, region="四川") == {"四川省"}
    assert regions("/v1/documents", admin_level="province") == {"四川省", "海南省", "安徽省", "河北省"}
    assert regions("/v1/facts", admin_level="district") == {"杭州市滨江区"}
    assert regions("/v1/facts", region="全国", include_subregions=True, admin_level="city") == {"杭州市"}


def test_lists_count_every_match_and_page_in_any_order(client):
    everything = client.get("/v1/documents").json()
    assert everything["total"] == len(FILES) == len(everything["items"])
    first = client.get("/v1/documents", params={"sort": "-year", "limit": 4}).json()
    rest = client.get("/v1/documents", params={"sort": "-year", "limit": 4, "cursor": first["next_cursor"]}).json()
    assert first["total"] == rest["total"] == len(FILES) and rest["next_cursor"] is None
    years = [d["plan_year"] for d in first["items"] + rest["items"]]
    assert years == sorted(years, reverse=True) and len({d["id"] for d in first["items"] + rest["items"]}) == 7
    assert error(client.get("/v1/documents", params={"cursor": first["next_cursor"]}), 400)["code"] == "invalid_cursor"
    facts = client.get("/v1/facts", params={"region": "海南", "limit": 50}).json()
    assert facts["total"] > 50 and len(facts["items"]) == 50 and facts["next_cursor"]
    ids, cursor = [], None
    while True:
        body = client.get(
            "/v1/facts",
            params={"region": "海南", "limit": 50, "sort": "value", **({"cursor": cursor} if cursor else {})},
        ).json()
        ids += [f["id"] for f in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(ids) == len(set(ids)) == facts["total"]


def test_a_broad_list_counts_its_total_no_further_than_a_bound(client, monkeypatch):
    """Counting every match of a broad list grew with the archive: the total stops at
    TOTAL_COUNTED and says so, exact_total=true counts them all, and paging is unchanged."""
    exact = client.get("/v1/facts", params={"region": "海南", "limit": 50}).json()
    assert exact["total_exact"] is True and exact["total"] > 40
    monkeypatch.setattr(facts_routes, "TOTAL_COUNTED", 40)
    bounded = client.get("/v1/facts", params={"region": "海南", "limit": 50}).json()
    assert bounded["total"] == 40 and bounded["total_exact"] is False
    assert bounded["items"] == exact["items"] and bounded["next_cursor"] == exact["next_cursor"]
    asked = client.get("/v1/facts", params={"region": "海南", "limit": 50, "exact_total": "true"}).json()
    assert asked["total"] == exact["total"] and asked["total_exact"] is True
    few = client.get("/v1/facts", params={"region": "海南", "indicator": "gdp"}).json()
    assert few["total"] == len(few["items"]) < 40 and few["total_exact"] is True


def test_figures_outside_the_catalogue_by_subject_and_the_subjects_most_written(client):
    open_facts = client.get("/v1/facts", params={"indicator": "none", "limit": 1000}).json()
    assert open_facts["total"] > 100 and all(f["indicator"] is None and f["subject"] for f in open_facts["items"])
    subjects = client.get("/v1/subjects", params={"limit": 1000}).json()
    items = subjects["items"]
    assert subjects["total"] == len(items) and items
    assert [(-s["documents"], -s["figures"]) for s in items] == sorted((-s["documents"], -s["figures"]) for s in items)
    # a subject is counted over the clear figures outside the catalogue, per document
    top = items[0]
    stated = client.get("/v1/facts", params={"indicator": "none", "subject": top["subject"], "limit": 1000}).json()
    exactly = [f for f in stated["items"] if f["subject"] == top["subject"] and not f["subject_unclear"]]
    assert len(exactly) == top["figures"] and len({f["document_id"] for f in exactly}) == top["documents"]
    assert top["documents"] >= 2 and all(
        s["documents"] >= 2 for s in client.get("/v1/subjects", params={"min_documents": 2}).json()["items"]
    )
    # subject= matches the phrase as written, or all of its jieba words, case-insensitively
    for query in ("高新技术企业", "技术企业", "企业 高新", "5g基站", "pm2.5"):
        words = query_tokens(query)
        found = client.get("/v1/facts", params={"subject": query, "limit": 1000}).json()["items"]
        assert all(
            query.lower() in f["subject"].lower() or all(w in f["subject"].lower() for w in words) for f in found
        ), query
        assert found, query
    assert "高新技术企业" in {
        f["subject"] for f in client.get("/v1/facts", params={"subject": "企业 高新"}).json()["items"]
    }
    assert client.get("/v1/facts", params={"subject": "子虚乌有的东西"}).json()["total"] == 0
    paged = client.get("/v1/subjects", params={"limit": 5}).json()
    more = client.get("/v1/subjects", params={"limit": 5, "cursor": paged["next_cursor"]}).json()
    assert [s["subject"] for s in paged["items"] + more["items"]] == [s["subject"] for s in items[:10]]


def test_documents_by_a_short_prefix_of_their_id(client):
    full = doc_id(FILES[0])
    assert client.get(f"/v1/documents/{full[:8]}").json()["id"] == full
    assert client.get(f"/v1/documents/{full[:8]}/text").status_code == 200
    assert error(client.get(f"/v1/documents/{full[:3]}"), 404)["code"] == "not_found"
    facts = client.get("/v1/facts", params={"document_id": full[:10], "limit": 1000}).json()
    assert facts["total"] > 0 and {f["document_id"] for f in facts["items"]} == {full}


def test_attainment_says_why_a_target_is_unreported_and_shows_the_rule_it_used(client):
    items = client.get("/v1/attainment", params={"region": "杭州"}).json()["items"]
    by_period = {}
    for i in items:
        by_period.setdefault(i["period"], []).append(i)
    # the 2023 report reviews 2022: a 2022 target it does not state is not_stated, and says where it looked
    unstated = [i for i in by_period["2022"] if i["status"] == "not_yet_reported"]
    assert unstated and all(i["unreported"] == "not_stated" for i in unstated)
    assert all(i["later_reports"] == ["hangzhou-2023-work-report.txt"] for i in unstated)
    # no report reviewing 2023 is loaded: its targets wait for one
    assert by_period["2023"] and all(
        (i["status"], i["unreported"], i["later_reports"]) == ("not_yet_reported", "no_later_report", [])
        for i in by_period["2023"]
    )
    assert all(i["unreported"] is None for i in items if i["status"] != "not_yet_reported")
    waiting = client.get("/v1/attainment", params={"region": "杭州", "unreported": "no_later_report"}).json()
    assert "2023" in {i["period"] for i in waiting["items"]}
    assert all(int(i["period"][-4:]) >= 2023 for i in waiting["items"])
    # a price target is a ceiling, and its rule says the bound it is judged by
    cpi = client.get("/v1/attainment", params={"indicator": "居民消费价格"}).json()["items"]
    assert cpi and all(i["direction"] == "ceiling" and i["rule"].startswith("≤") for i in cpi)
    about = [i for i in cpi if i["target"]["qualifier"] == "about"]
    assert all("左右，上限" in i["rule"] for i in about)
    e = error(client.get("/v1/attainment", params={"status": "bogus"}))
    assert "'met'" in e["message"] and "'not_yet_reported'" in e["message"]


def test_one_report_in_two_files_is_served_once_and_both_files_are_kept(client, database_url, tmp_path):
    original = FILES[0]  # hangzhou-2022-work-report.txt
    text = original.read_text(encoding="utf-8")
    # another reading of the same report, as a PDF's text layer gives it: lines broken
    # elsewhere, a page number; as complete as the first, which was received first and stays served
    copy = tmp_path / "hangzhou-2022.pdf.txt"
    copy.write_text(text.replace("。", "。\n\n") + "\n— 1 —\n", encoding="utf-8")
    engine = make_engine(database_url, writer=True)
    seed(make_sessionmaker(engine), copy)
    engine.dispose()
    docs = {d["id"]: d for d in client.get("/v1/documents", params={"region": "杭州"}).json()["items"]}
    served, other = doc_id(original), doc_id(copy)
    assert docs[other]["duplicate_of"] == served and docs[served]["duplicate_of"] is None
    rows = [
        i
        for i in client.get("/v1/attainment", params={"region": "杭州市", "indicator": "gdp"}).json()["items"]
        if (i["measure"], i["period"]) == ("growth", "2022")
    ]
    assert len(rows) == 1 and rows[0]["target"]["document_id"] == served and rows[0]["status"] == "missed"
    hangzhou = client.get("/v1/facts", params={"region": "杭州", "limit": 1000}).json()["items"]
    assert served in {f["document_id"] for f in hangzhou} and other not in {f["document_id"] for f in hangzhou}
    assert client.get("/v1/facts", params={"document_id": other}).json()["total"] > 0  # asked for by name
    both = client.get("/v1/facts", params={"region": "杭州", "include_duplicates": True, "limit": 1000}).json()
    assert {served, other} <= {f["document_id"] for f in both["items"]}
    # a different report of the same region and year is not a copy
    assert all(d["duplicate_of"] is None for i, d in docs.items() if i not in (served, other))
