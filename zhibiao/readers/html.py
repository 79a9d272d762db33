"""HTML pages saved from government portals, and HTML fragments stored as text.

Keeps the report body and drops the site around it. The body is the deepest element that
still holds nearly all of the page's prose (blocks of running text with sentence
punctuation); chrome that sits inside it (font-size widgets, share and print buttons,
来源/责任编辑 lines, photo captions, related-link lists) is dropped block by block.
"""

from __future__ import annotations

import re

from zhibiao.domain.chrome import COUNTER_FIELDS, FOOTER_WORDS, RELATED_LINKS, words
from zhibiao.plumbing.errors import UnsupportedFormat
from zhibiao.readers.base import DEFAULT_LIMITS, Limits, Pages
from zhibiao.readers.encoding import decode_text, looks_like_text
from zhibiao.readers.plain import normalise_newlines

_START = re.compile(r"^[\s\ufeff\[]*<(?:!doctype|!--|\?xml|[a-z][a-z0-9]*[\s>/])", re.IGNORECASE)
_CLOSING = re.compile(r"</(?:p|div|h[1-6]|li|td|tr|table|span|body|html|section|article)>|<br\s*/?>", re.IGNORECASE)

BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
    "caption",
    "html",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "nav",
    "footer",
    "aside",
    "figcaption",
    "object",
    "embed",
    "video",
    "audio",
    "map",
    "head",
    "link",
    "meta",
}
# class/id words portals give their navigation, share bars, footers and side columns.
_CHROME_ATTR = re.compile(
    r"nav|menu|breadcrumb|crumb|share|bdshare|footer|sidebar|related|xgxx|xglj|copyright|banquan|"
    r"print|font|zihao|toolbar|comment|advert|qrcode|login|search|location|position|weizhi|dqwz",
    re.IGNORECASE,
)
# Lines that are site chrome wherever they stand; only short lines are judged.
_CHROME_LINE = re.compile(
    r"字[体号][:：]?\s*[【\[（(]?\s*[大中小]\s*[大中小]\s*[大中小]"
    r"|^[【\[]?\s*(?:分享(?:到)?|打印(?:本页|此页|文章)?|关闭(?:窗口|本页)?|返回(?:顶部|首页)?|收藏(?:本页)?|纠错)\s*[】\]]?\s*[:：]?"
    r"|^(?:当前位置|您的位置|您当前的位置|您现在的位置|所在位置)[:：]"
    r"|首页\s*[>›»]"
    rf"|^(?:来源|信息来源|文章来源|稿源|作者|责任编辑|编辑|校对|审核|审校|{words(COUNTER_FIELDS)}|时间|访问量)\s*[:：]"
    rf"|^(?:{words(RELATED_LINKS)}|相关文件|延伸阅读|推荐阅读)"
    rf"|{words(FOOTER_WORDS)}|ICP备|公网安备|技术支持|联系我们|网站地图"
    r"|^(?:图为|▲)|[（(](?:记者|通讯员)?\s*\S{0,10}\s*摄[）)]$|^[（(]图[)）]",
    re.IGNORECASE,
)
CHROME_LINE_MAX = 80
PROSE_MIN = 20
CONTENT_SHARE = 0.85
_SENTENCE = re.compile(r"[。；，！？]")
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# A line break in the markup between two Chinese characters is no space (CSS Text 3); a typed
# space is kept, since it separates a title from a name (市长 刘忻).
_BREAK_IN_CJK = re.compile(rf"(?<=[{_WIDE}])[ \t]*\n[ \t\n\f]*(?=[{_WIDE}])")
_SPACES = re.compile(r"[ \t\n\r\f]+")
_PUNCT_ONLY = re.compile(r"^[\s\[\],，;；|｜·•>›»\-—_]*$")


def looks_like_html(data: bytes) -> bool:
    if not looks_like_text(data):
        return False
    head = decode_text(data[:65536], html=True) if len(data) <= 65536 else _head_text(data)
    return bool(_START.match(head)) and len(_CLOSING.findall(head)) >= 3


def _head_text(data: bytes) -> str:
    for cut in range(4):
        try:
            return decode_text(data[: 65536 - cut], html=True)
        except UnsupportedFormat:
            continue
    return ""


class HtmlReader:
    media_types = ("text/html",)

    def accepts(self, data: bytes, name: str) -> bool:
        return looks_like_html(data)

    def read(self, data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Pages:
        return Pages(pages=["\n".join(html_lines(decode_text(data, html=True)))], media_type="text/html")


def html_lines(markup: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    root = soup.body or soup
    for tag in root.find_all(DROP):
        tag.decompose()
    drop_chrome_containers(root)
    content = main_content(root)
    lines = [line for line in block_texts(content) if keep_line(line)]
    title = heading_before(content)
    if title and title not in lines[:3]:
        lines.insert(0, title)
    return lines


def heading_before(content) -> str:
    """The article's title, when the portal set it in a heading above the body."""
    for heading in content.find_all_previous(list(HEADINGS), limit=3):
        text = tidy(heading.get_text(" "))
        if 4 <= len(text) <= 80 and keep_line(text):
            return text
    return ""


def drop_chrome_containers(root) -> None:
    """Remove elements whose class or id names them chrome, unless they hold real prose."""
    total = prose_chars(root)
    for tag in root.find_all(True):
        if getattr(tag, "decomposed", False) or not isinstance(tag.attrs, dict):
            continue
        names = " ".join([*tag.attrs.get("class", []), str(tag.attrs.get("id", ""))])
        if names.strip() and _CHROME_ATTR.search(names) and prose_chars(tag) <= 0.1 * total:
            tag.decompose()


def main_content(root):
    """Descend while one child still holds CONTENT_SHARE of the prose below the current node."""
    node, total = root, prose_chars(root)
    if total == 0:
        return root
    while True:
        scored = [(prose_chars(child), child) for child in node.find_all(True, recursive=False)]
        if not scored:
            return node
        share, best = max(scored, key=lambda pair: pair[0])
        if share < CONTENT_SHARE * total:
            return node
        node = best


def prose_chars(tag) -> int:
    """Characters of running text (not link text) below `tag`."""
    count = 0
    for text in tag.find_all(string=True):
        value = text.strip()
        if len(value) >= PROSE_MIN and _SENTENCE.search(value) and text.find_parent("a") is None:
            count += len(value)
    return count


class _Walk:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buffer: list[str] = []
        self.after_image = False

    def flush(self) -> None:
        text = tidy("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.lines.append(text)


def block_texts(node) -> list[str]:
    """Each block element's text as a line; table rows as tab-joined cells; <br> breaks lines."""
    state = _Walk()
    _walk(node, state)
    state.flush()
    return state.lines


def _walk(element, state: _Walk) -> None:
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Doctype, ProcessingInstruction

    for child in element.children:
        if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            state.buffer.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            state.flush()
        elif name == "tr":
            state.flush()
            cells = [tidy(cell.get_text(" ")) for cell in child.find_all(["td", "th"], recursive=False)]
            row = "\t".join(cell for cell in cells if cell)
            if row:
                state.lines.append(row)
        elif name in BLOCKS:
            state.flush()
            if is_link_list(child):
                continue
            before = len(state.lines)
            _walk(child, state)
            state.flush()
            produced = state.lines[before:]
            if child.find("img") is not None and all(is_caption(line) for line in produced):
                # A picture's block, with at most its caption.
                del state.lines[before:]
                state.after_image = True
            elif state.after_image and name not in HEADINGS and len(produced) == 1 and is_caption(produced[0]):
                del state.lines[before:]
                state.after_image = False
            elif produced:
                state.after_image = False
        else:
            _walk(child, state)


def is_link_list(tag) -> bool:
    """A block whose text is mostly links (related articles, menus) and has no sentences."""
    text = tidy(tag.get_text(""))
    if not text:
        return False
    linked = sum(len(tidy(a.get_text(""))) for a in tag.find_all("a"))
    return linked >= 0.6 * len(text) and not _SENTENCE.search(text.replace("，", ""))


_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")


def is_caption(line: str) -> bool:
    return len(line) <= 60 and "。" not in line[:-1] and not _NUMBERED.match(line)


def keep_line(line: str) -> bool:
    if _PUNCT_ONLY.match(line):
        return False
    return not (len(line) <= CHROME_LINE_MAX and _CHROME_LINE.search(line))


def tidy(text: str) -> str:
    text = normalise_newlines(text)
    text = _BREAK_IN_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip(" \u3000")
