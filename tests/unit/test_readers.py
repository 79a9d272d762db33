"""Readers: format sniffing, encodings, PDF text layers and limits, DOCX, HTML, OCR layout.

Fast: no OCR engine runs here (the OCR routing is checked with a fake); see
test_readers_ocr.py for the real engine.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.formats: fixture builders

from tests.formats import (
    CHROME,
    Block,
    blocks,
    comparable,
    docx_bytes,
    encrypted_pdf,
    merge_pdfs,
    plain_text,
    png_bytes,
    portal_page,
    sample_bytes,
    scanned_pdf,
    text_pdf,
)
from zhibiao.plumbing.errors import CorruptDocument, DocumentTooLarge, PermanentError, UnsupportedFormat
from zhibiao.readers import Limits, read_document, reader_for
from zhibiao.readers.layout import layout_lines
from zhibiao.readers.textlayer import needs_ocr

REPORT = "national-2024.txt"
PAGE_NUMBER = re.compile(r"—\d+—")


@pytest.fixture(scope="module")
def report_blocks() -> list[Block]:
    return blocks(REPORT)


@pytest.fixture(scope="module")
def report_pdf(report_blocks) -> bytes:
    return text_pdf(report_blocks)


@pytest.fixture
def fake_ocr(monkeypatch):
    """Counts the pages sent to OCR instead of running the engine."""
    calls = []

    def ocr_image(image):
        calls.append(image.size)
        return "扫描页文字"

    monkeypatch.setattr("zhibiao.readers.ocr.ocr_image", ocr_image)
    return calls


# --- choosing a reader by content -------------------------------------------------------


def test_reader_is_chosen_by_content_not_name(report_pdf):
    docx = sample_bytes("guangdong-2025.docx")
    cases = [
        (report_pdf, "report.txt", "PdfReader"),
        (docx, "report.pdf", "DocxReader"),
        (png_bytes(Image.new("L", (8, 8), 255)), "scan.pdf", "ImageReader"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "", "ImageReader"),
        (b"II*\x00" + b"\x00" * 16, "", "ImageReader"),
        (sample_bytes("national-2014.html.txt"), "national-2014.html.txt", "HtmlReader"),
        (b"<!DOCTYPE html><html><body><p>a</p><p>b</p><p>c</p></body></html>", "x.docx", "HtmlReader"),
        (sample_bytes("hangzhou-2020-h1-key-tasks-progress.md"), "tasks.md", "PlainTextReader"),
        (sample_bytes("hailar-2012.txt"), "", "PlainTextReader"),
    ]
    for data, name, expected in cases:
        assert type(reader_for(data, name)).__name__ == expected, name


@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 40, bytes(range(256)) * 8, b"\x00\x01\x02\x03" * 100],
)
def test_unknown_formats_fail_permanently(data):
    with pytest.raises(UnsupportedFormat):
        read_document(data, "mystery.bin")


def test_optional_engines_load_only_when_needed():
    code = "import sys, zhibiao.readers; print(sorted(m for m in ('rapidocr', 'onnxruntime', 'docx', 'bs4') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- text encodings -----------------------------------------------------------------------

TEXT = "政府工作报告\n地区生产总值增长5.2%左右。\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        TEXT.encode("utf-8-sig"),
        TEXT.encode("gb18030"),
        TEXT.encode("gbk"),
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("gbk"),
        TEXT.replace("\n", "\\r\\n").encode("utf-8"),
        ("测试" + TEXT).encode("utf-16-le"),
    ],
)
def test_text_encodings_and_line_endings(data):
    assert read_document(data, "report.txt").pages[0].endswith(TEXT)


def test_gbk_corpus_file_reads_like_its_utf8_version():
    text = sample_bytes("hailar-2012.txt").decode("utf-8")
    assert read_document(text.encode("gb18030")).pages == read_document(text.encode("utf-8")).pages


def test_one_line_document_with_escaped_breaks():
    lines = [block.text for block in blocks("national-2023.txt")]
    dumped = ("\\r\\n".join(lines)).encode("utf-8")
    assert read_document(dumped).pages[0].split("\n") == lines


def test_literal_backslash_n_inside_normal_text_is_kept():
    text = "第一行\n路径 C:\\new\\file 保留\n第三行\n"
    assert read_document(text.encode()).pages[0] == text


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(st.sampled_from("政府工作报告增长亿元万人％%。，、1234567890.abc \n"), min_size=1, max_size=200),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_text_round_trips_through_any_unicode_encoding(text, encoding):
    assert read_document(text.encode(encoding), "t.txt").pages == [text]


# --- PDF ----------------------------------------------------------------------------------


def test_text_pdf_reads_its_text_layer_without_ocr(report_blocks, report_pdf, fake_ocr):
    pages = read_document(report_pdf, "report.pdf")
    assert pages.media_type == "application/pdf"
    assert len(pages.pages) > 5
    assert pages.ocr_pages == 0 and fake_ocr == []
    text = PAGE_NUMBER.sub("", comparable("".join(pages.pages)))
    assert text == comparable(plain_text(report_blocks))


def test_only_pages_without_text_go_to_ocr(report_blocks, fake_ocr):
    short = text_pdf(report_blocks[:12])
    mixed = merge_pdfs(short, scanned_pdf(short, [0], dpi=60), short)
    pages = read_document(mixed)
    count = len(pages.pages)
    assert pages.ocr_pages == 1 and len(fake_ocr) == 1
    assert pages.pages[count // 2] == "扫描页文字"
    assert sum(page == "扫描页文字" for page in pages.pages) == 1


@pytest.mark.parametrize(
    ("text", "coverage", "expected"),
    [
        ("", 0.0, True),
        ("— 3 —", 0.0, True),
        ("\r\n \r\n", 0.0, True),
        ("现在，我代表市人民政府向大会报告工作，请予审议。", 0.0, False),
        ("现在，我代表市人民政府向大会报告工作，请予审议。", 0.9, True),
        (
            "现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员提出意见。全年地区生产总值增长5%。",
            0.9,
            False,
        ),
        ("ÃÂÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞß", 0.0, True),
        ("\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008\ue009\ue00a", 0.0, True),
        ("\ufffd" * 30 + "政府", 0.0, True),
        ("The State Council of the People's Republic of China", 0.0, False),
    ],
)
def test_which_text_layers_are_usable(text, coverage, expected):
    assert needs_ocr(text, coverage) is expected


def test_password_protected_pdf_says_what_to_do(report_blocks):
    with pytest.raises(CorruptDocument, match="password"):
        read_document(encrypted_pdf(report_blocks))


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + bytes(range(256)) * 4, b"%PDF-1.4\n%%EOF\n"])
def test_damaged_pdf_fails_permanently(data):
    with pytest.raises(CorruptDocument, match="damaged|no pages"):
        read_document(data, "broken.pdf")


def test_page_limit(report_pdf):
    with pytest.raises(DocumentTooLarge, match="pages"):
        read_document(report_pdf, limits=Limits(max_pages=3))


def test_embedded_image_pixel_limit_is_checked_before_ocr(report_pdf, fake_ocr):
    scan = scanned_pdf(report_pdf, [0], dpi=100)
    with pytest.raises(DocumentTooLarge, match="megapixels"):
        read_document(scan, limits=Limits(max_image_pixels=500_000))
    assert fake_ocr == []


# --- images -------------------------------------------------------------------------------


def test_image_pixel_limit_is_checked_before_decoding(fake_ocr):
    big = png_bytes(Image.new("L", (3000, 3000), 255))
    with pytest.raises(DocumentTooLarge, match="megapixels"):
        read_document(big, limits=Limits(max_image_pixels=1_000_000))
    assert fake_ocr == []


def test_multipage_tiff_is_one_page_per_frame(fake_ocr):
    frames = [Image.new("L", (50, 70), 255) for _ in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    pages = read_document(out.getvalue())
    assert (pages.media_type, len(pages.pages), pages.ocr_pages, len(fake_ocr)) == ("image/tiff", 3, 3, 3)


def test_damaged_image_fails_permanently(fake_ocr):
    data = png_bytes(Image.new("L", (40, 40), 255))
    with pytest.raises(CorruptDocument, match="damaged"):
        read_document(data[:60] + b"\x00" * 10)


# --- DOCX ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title"),
    [("guangdong-2025.docx", "2025年广东省政府工作报告"), ("jilin-2025.docx", "2025年吉林省政府工作报告")],
)
def test_real_docx_reports(name, title):
    import docx

    pages = read_document(sample_bytes(name), name)
    lines = pages.pages[0].split("\n")
    assert lines[0] == title
    assert lines == [p.text for p in docx.Document(io.BytesIO(sample_bytes(name))).paragraphs]


def test_docx_tables_stay_in_document_order(report_blocks):
    table = [["指标", "2023年", "增长"], ["地区生产总值", "126万亿元", "5.2%"]]
    data = docx_bytes(report_blocks[:8], table=table, table_after=3)
    lines = read_document(data).pages[0].split("\n")
    texts = [block.text for block in report_blocks[:8]]
    assert lines == [*texts[:4], "指标\t2023年\t增长", "地区生产总值\t126万亿元\t5.2%", *texts[4:]]


def test_docx_merged_cells_appear_once():
    import docx

    document = docx.Document()
    grid = document.add_table(rows=2, cols=3)
    grid.cell(0, 0).merge(grid.cell(0, 2)).text = "主要指标"
    for cell, value in zip(grid.rows[1].cells, ["粮食产量", "1.2万亿斤", "增长2%"], strict=True):
        cell.text = value
    out = io.BytesIO()
    document.save(out)
    assert read_document(out.getvalue()).pages[0].split("\n") == ["主要指标", "粮食产量\t1.2万亿斤\t增长2%"]


def test_damaged_docx_fails_permanently():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<not-xml")
    with pytest.raises(PermanentError):
        read_document(out.getvalue(), "broken.docx")


# --- HTML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_portal_page_keeps_the_body_and_drops_the_chrome(report_blocks, charset):
    page = portal_page(report_blocks, title="2024年国务院政府工作报告", charset=charset)
    pages = read_document(page, "report.html")
    text = pages.pages[0]
    assert pages.media_type == "text/html"
    assert [chrome for chrome in CHROME if chrome in text] == []
    lines = text.split("\n")
    assert lines[0] == "2024年国务院政府工作报告"
    assert lines[1:] == [block.text for block in report_blocks]


def test_html_fragment_stored_as_text():
    lines = read_document(sample_bytes("national-2014.html.txt"), "national-2014.html.txt").pages[0].split("\n")
    assert lines[:3] == [
        "各位代表：",
        "现在，我代表国务院，向大会作政府工作报告，请予审议，并请全国政协各位委员提出意见。",
        "一、2013年工作回顾",
    ]
    assert lines[-1].startswith("人民赋予重托")
    assert not any("<" in line or line in ("[", "]") for line in lines)
    assert len(lines) == 117


def test_html_headings_breaks_and_tables_make_lines():
    page = (
        "<html><body><div>前言文字，说明。<h2>一、工作回顾</h2>第一段<br>第二段"
        "<table><tr><td>指标</td><td>数值</td></tr><tr><td>增长</td><td>5%</td></tr></table>"
        "<p>经济\n增长　5%，市长 刘忻。</p></div></body></html>"
    )
    assert read_document(page.encode()).pages[0].split("\n") == [
        "前言文字，说明。",
        "一、工作回顾",
        "第一段",
        "第二段",
        "指标\t数值",
        "增长\t5%",
        "经济增长　5%，市长 刘忻。",
    ]


def test_html_drops_captions_and_related_links_inside_the_body():
    prose = "全年地区生产总值增长百分之五，城乡居民收入稳步增长，各项事业全面进步。"
    page = f"""<html><body><div class="article"><p>{prose}</p>
    <p><img src="a.jpg"></p><p>图为新建成的公园</p><p>{prose}</p>
    <p><img src="b.jpg"><br>市民在公园休憩（记者 张三 摄）</p>
    <p>相关阅读：</p><ul><li><a href="1">政府工作报告全文</a></li><li><a href="2">一图读懂报告</a></li></ul>
    <p>{prose}</p></div></body></html>"""
    assert read_document(page.encode()).pages[0].split("\n") == [prose, prose, prose]


# --- OCR layout (pure) --------------------------------------------------------------------


def box(x0, y0, x1, y1, tilt=0.0):
    """A detector box from an axis-aligned one, its right end raised by `tilt` pixels."""
    return [[x0, y0], [x1, y0 - tilt], [x1, y1 - tilt], [x0, y1]]


def test_layout_orders_boxes_into_lines():
    boxes = np.array([box(300, 10, 500, 40), box(10, 12, 290, 40), box(10, 60, 400, 90), box(10, 110, 100, 140)])
    texts = ["增长5.2%", "地区生产总值", "第二行", "GDP"]
    assert layout_lines(boxes, texts) == ["地区生产总值增长5.2%", "第二行", "GDP"]


def test_layout_follows_a_tilted_page():
    # Tilt 30 px over 1000 px: the right half of line 1 is level with line 2's left half.
    slope = 0.03
    boxes = []
    texts = []
    for row in range(3):
        y = 100 + 40 * row
        boxes.append(box(0, y, 1000, y + 30, tilt=1000 * slope))
        boxes.append(box(1010, y - 1010 * slope, 1400, y + 30 - 1010 * slope, tilt=390 * slope))
        texts += [f"第{row}行左半", f"右半{row}"]
    assert layout_lines(np.array(boxes, dtype=float), texts) == ["第0行左半右半0", "第1行左半右半1", "第2行左半右半2"]


def test_layout_spaces_latin_words_and_tabs_columns():
    boxes = np.array([box(0, 0, 100, 30), box(110, 0, 200, 30), box(400, 0, 500, 30)], dtype=float)
    assert layout_lines(boxes, ["GDP", "growth", "5.2%"]) == ["GDP growth\t5.2%"]


@settings(max_examples=40, deadline=None)
@given(st.permutations(list(range(6))))
def test_layout_does_not_depend_on_box_order(order):
    boxes = np.array(
        [box(100 * (i % 3), 50 * (i // 3), 100 * (i % 3) + 90, 50 * (i // 3) + 30) for i in range(6)], dtype=float
    )
    texts = ["一", "二", "三", "四", "五", "六"]
    assert layout_lines(boxes[list(order)], [texts[i] for i in order]) == ["一二三", "四五六"]
