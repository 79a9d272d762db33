"""Raw text -> cleaned text: one paragraph a line, every format reaching the same text.

Choices every later stage relies on:
- Chinese punctuation stays as the source wrote it (，。：；（） are not folded to
  ASCII, and ASCII , : ; ( ) from web pages are not widened). Only digits, Latin
  letters, ％ and the decimal point are folded from full width, so numbers read alike.
- No white space next to a Chinese character or Chinese punctuation: `15373 亿元`
  becomes `15373亿元`, `政 府 工 作 报 告` becomes `政府工作报告`. Spaces stay only
  between two ASCII characters (`18 753`, `Public domain`): whether those are one
  number is for the number parser to judge.
- Rows of tab-separated tables keep their tabs (one row a line, HTML inside cells
  flattened), so supervision tables survive cleanup.
- Glossaries and endnotes stay in the text; `sections` marks them as the appendix.
- A report in traditional characters is turned into simplified ones, character for
  character (`script`).
"""

from __future__ import annotations

import html
import re

from zhibiao.domain import chrome, parts, script
from zhibiao.domain.wrapping import join_wrapped_lines

_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "％": "%",
        "℅": "%",  # care-of, typed for % in some county reports (增长15℅)
        "増": "增",  # the Japanese form, in some provinces' pages (増长8.5%)
        # small forms, as some web editors write them (﹔ ends a clause like ；)
        "﹐": "，",
        "﹑": "、",
        "﹔": "；",
        "﹕": "：",
        "﹖": "？",
        "﹗": "！",
        "\u3000": " ",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\x00": None,  # never text, and PostgreSQL's text type refuses it
    }
)
_FULLWIDTH_POINT = re.compile(r"(?<=\d)．(?=\d)")
# a mirror's pinyin after a character whose traditional form differs: 生產(chǎn)總值
_PINYIN_GLOSS = re.compile(
    r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)"
)

_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_HTML_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|br|li|ul|ol|tr|table|tbody|thead|section|article|blockquote)\b[^<>]*>", re.IGNORECASE
)
_LOOKS_HTML = re.compile(r"</?(?:p|div|h[1-6]|br|li|span|table|td)\b[^<>]*>", re.IGNORECASE)

_MD_HEADING = re.compile(r"^(?:#{1,6}(?:\s+|$))+")
_MD_EMPHASIS = re.compile(r"\*\*|__")
_PLACEHOLDER = re.compile(r"[?？]{3,}")
_ENDNOTE_REF = re.compile(r"(?<=\S)〔\d{1,3}〕")

_CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef“”‘’—…·"
_SPACE_NEAR_CJK = re.compile(rf"[ ]+(?=[{_CJK}])|(?<=[{_CJK}])[ ]+")
_SPACES = re.compile(r"[ ]{2,}")
# `1. 5%` is a PDF's 1.5%; `；2. 5月` inside a table cell is an item number, so a
# decimal may not follow sentence punctuation.
_SPACED_DECIMAL = re.compile(r"(?<![\d.。；;：:！？!?、，,\t])(\d+)(?:\.[ ]+| \.[ ]*)(?=\d)")  # 1. 5%, 6 . 5%


def clean_pages(pages: list[str]) -> str:
    """Clean the pages of one document into one text."""
    page_lines = [_page_lines(page) for page in pages]
    page_lines = _drop_running_lines(page_lines)
    return script.to_simplified(_clean_lines([line for lines in page_lines for line in lines]))


def clean_text(text: str) -> str:
    return clean_pages([text])


def _page_lines(page: str) -> list[str]:
    text = _normalise_characters(page)
    if _LOOKS_HTML.search(text):
        text = _normalise_characters(_strip_html(text))  # entities: &nbsp; &#65285;
    text = chrome.FONT_WIDGET.sub("", text)
    text = _PLACEHOLDER.sub(" ", text)
    lines = []
    for raw in text.split("\n"):
        line = _clean_line(raw)
        if line and not chrome.is_page_number(line):
            lines.append(line)
    return lines


def _normalise_characters(text: str) -> str:
    if "\\r\\n" in text or ("\\n" in text and text.count("\n") < 3):
        text = text.replace("\\r\\n", "\n").replace("\\n", "\n")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _PINYIN_GLOSS.sub("", text.translate(_FULLWIDTH))
    return _FULLWIDTH_POINT.sub(".", text)


def _strip_html(text: str) -> str:
    out = []
    for line in text.split("\n"):
        if _is_table_row(line):
            line = _HTML_TAG.sub(" ", line)
        else:
            line = _HTML_TAG.sub("", _HTML_BLOCK.sub("\n", line))
        out.append(line)
    return html.unescape("\n".join(out))


def _clean_line(line: str) -> str:
    # Removing one marker can expose another (`#〔7〕`): repeat until stable.
    for _ in range(5):
        cleaned = _clean_line_once(line)
        if cleaned == line:
            break
        line = cleaned
    return line


def _clean_line_once(line: str) -> str:
    if _is_table_row(line):
        cells = [_tidy(_SPACES.sub(" ", _MD_EMPHASIS.sub("", cell)).strip()) for cell in line.split("\t")]
        return "\t".join(cells) if any(cells) else ""
    line = _MD_HEADING.sub("", _MD_EMPHASIS.sub("", line.replace("\t", " ")).strip())
    return _tidy(_SPACES.sub(" ", line).strip())


def _tidy(line: str) -> str:
    line = _ENDNOTE_REF.sub("", line)
    line = _SPACED_DECIMAL.sub(r"\1.", line)
    return _SPACE_NEAR_CJK.sub("", line).strip(" ")


def _is_table_row(line: str) -> bool:
    return line.count("\t") >= 2


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Running headers and footers: the same short line at the edge of most pages."""
    if len(pages) < 3:
        return pages
    counts: dict[str, int] = {}
    for lines in pages:
        for key in {_running_key(line) for line in lines[:2] + lines[-2:]}:
            counts[key] = counts.get(key, 0) + 1
    running = {key for key, n in counts.items() if n >= max(3, len(pages) // 2) and len(key) <= 40}
    if not running:
        return pages
    out = []
    for lines in pages:
        edge = set(range(min(2, len(lines)))) | set(range(max(0, len(lines) - 2), len(lines)))
        out.append([ln for i, ln in enumerate(lines) if not (i in edge and _running_key(ln) in running)])
    return out


def _running_key(line: str) -> str:
    # A header may carry the page number ("工作报告 第3页"); a sentence never repeats.
    return line if re.search(r"[。，；！？]", line) else re.sub(r"\d+", "#", line)


# 二〇一五年 in a heading or a sentence: the year as every rule reads it, 2015年
_WORD_YEAR = re.compile(r"(?<![一二三四五六七八九十〇○零])[一二][〇○零九][〇○零一二三四五六七八九]{2}(?=\s*年)")
_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
# a part heading a scrape glued into the paragraph before it: …取得新成效。一、过去五年工作回顾
_INLINE_PART = re.compile(
    r"(?<=[。！？!?])\s*(?=[一二三四五六七八九十]+、[^，,。；;！？!?\n]{0,24}?" + parts.PART_END + ")"
)


# the same with no number, where a paragraph's opening follows: …的职责。十二五主要成就和2015年工作回顾十二五时期，是…
_INLINE_BARE_PART = re.compile(
    r"(?<=[。！？!?])\s*((?:(?:19|20)\d{2}\s*年|[“\"]?十[一二三四五六]五[”\"]?)[^，,。；;！？!?\n]{0,20}?"
    + parts.PART_END
    + r")(?=[“\"]?十[一二三四五六]五[”\"]?(?:时期|期间|以来)|(?:19|20)\d{2}\s*年[，,是]|今年|过去|五年来|一年来|各位代表|面对)"
)


def _split_inline_parts(lines: list[str]) -> list[str]:
    lines = [_INLINE_BARE_PART.sub("\n\\1\n", line) for line in lines]
    return [piece for line in lines for piece in _INLINE_PART.sub("\n", line).split("\n")]


def _clean_lines(lines: list[str]) -> str:
    lines = _split_inline_parts([_WORD_YEAR.sub(lambda m: m.group(0).translate(_YEAR_DIGITS), line) for line in lines])
    lines = chrome.cut_tail(lines)
    kept: list[str] = []
    for i, line in enumerate(lines):
        title = chrome.TITLE_FIELD.match(line)
        if title:
            line = _clean_line(title.group(1))
        if not line or chrome.is_chrome_line(line) or chrome.is_page_number(line):
            continue
        if i < 15 and (chrome.SOURCE_LINE.match(line) or chrome.is_summary(line)):
            continue
        kept.append(line)
    kept = _drop_bare_source_names(lines, kept)
    # Joining lines can bring spaces or markers together that tidying removes, and
    # tidying can shorten a line enough to change a join: repeat until stable.
    for _ in range(5):
        out = [tidied for tidied in map(_tidy, join_wrapped_lines(kept)) if tidied]
        if out == kept:
            break
        kept = out
    return "\n".join(kept) + "\n" if kept else ""


def _drop_bare_source_names(lines: list[str], kept: list[str]) -> list[str]:
    """`来源:` alone on a line at the head is followed by the source's name: drop it too."""
    for i, line in enumerate(lines[:15]):
        match = chrome.SOURCE_LINE.match(line)
        if match and not match.group(1).strip() and i + 1 < len(lines):
            name = lines[i + 1]
            if len(name) <= 12 and name in kept[:15]:
                kept.remove(name)
    return kept
