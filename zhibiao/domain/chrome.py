"""What is not the report: site chrome, scraper headers, page furniture, licence blocks.

Portals, aggregators and scrapers wrap a report in lines of their own. They are
recognised by their wording, never by position alone, so a report that arrives
clean loses nothing.
"""

from __future__ import annotations

import re

# Chrome wording the HTML reader (readers/html.py) and cleanup both know; each adds its own.
COUNTER_FIELDS = ("发布时间", "发布日期", "点击数", "浏览次数", "阅读次数")  # 发布时间：2024-01-01
FOOTER_WORDS = ("版权所有", "主办单位", "承办单位", "网站标识码", "Copyright", "©")
RELATED_LINKS = ("相关链接", "相关阅读", "相关新闻", "相关文章", "相关稿件", "相关附件", "上一篇", "下一篇", "热点推荐")


def words(*vocabularies: tuple[str, ...]) -> str:
    """A regex alternation of the words (no group)."""
    return "|".join(re.escape(w) for v in vocabularies for w in v)


# Widgets that scrapers split over several lines (【字体：\n大\n中\n小\n】).
FONT_WIDGET = re.compile(r"【\s*字体\s*[:：]?\s*[大中小\s]*】|【\s*打印\s*】|【\s*关闭\s*】")

# One line of chrome, wherever it stands.
_CHROME_LINE = re.compile(
    r"""^(?:
        (?:收藏本站|设为首页|加入收藏|官方微博|网站地图|联系我们|无障碍|繁體|简体版).*
      | .*(?:{counters}|点击率|浏览量)\s*[:：].*
      | (?:发文单位|发文时间|发布机构|来源URL|来源网址|原文链接|网址|URL|报告人|年份|字号|索引号|分类)\s*[:：].*
      | (?:正文|内容)\s*[:：]\s*
      | 内容摘要\s*[:：].*
      | 时间\s*[:：].*(?:作者|来源)\s*[:：].*
      | (?:阅读|评论|作者|编辑|分享|分享到|打印|字体)\s*[:：]?\s*
      | (?:打印本页|关闭窗口|返回顶部|我要打印|【打印】|【关闭】)
      | \d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*\d{1,2}\s*[时:：]\s*\d{1,2}\s*分?
      | \d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?
      | [=\-_*~·—]{3,}
      | [\[\]【】]
    )$""".replace("{counters}", words(COUNTER_FIELDS)),
    re.VERBOSE,
)

# A scraper's title field: keep the title, drop the label.
TITLE_FIELD = re.compile(r"^(?:(?:标题|题目|文章标题)\s*[:：]\s*)+(.+)$")

# A bare source line ("来源:" then the source on its own line) at the head.
SOURCE_LINE = re.compile(r"^来\s*源\s*[:：]\s*(.*)$")

# Page furniture: "— 3 —", "-3-", "第3页", "3/40", a lone page number.
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~～ ]*\d{1,4}[-—–－~～ ]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$"
)

# Where the report has ended and the page around it begins.
_TAIL_MARKER = re.compile(
    r"""^(?:
        [（(]?\s*责任编辑 | 扫一扫 | {related} | 相关(?:图解|报道)
      | 打印本页 | 关闭窗口 | 分享到 | 本栏推荐 | 阅读排行 | 标签云
      | 本作品是中华人民共和国的 | {footer}
      | Public\s+domain | logo\S*\.(?:png|jpg|gif) | [^\s]*ICP备
      | 来\s*源\s*[:：]
    )""".replace("{related}", words(RELATED_LINKS)).replace("{footer}", words(FOOTER_WORDS)),
    re.VERBOSE | re.IGNORECASE,
)
# Links glued to the closing sentence ("…篇章！相关图解：（图解）…").
_TAIL_INLINE = re.compile(r"(?<=[。！!？?”])\s*(?:相关(?:图解|链接|阅读|新闻|文章)|责任编辑)\s*[:：].*$")


def is_chrome_line(line: str) -> bool:
    return bool(_CHROME_LINE.match(line))


def is_summary(line: str) -> bool:
    """An aggregator's abstract of the report: its first paragraphs cut off with `......`."""
    return len(line) > 40 and bool(re.search(r"(?:\.{3,}|…+)$", line))


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line))


def cut_tail(lines: list[str]) -> list[str]:
    """Drop everything from the first end-of-report marker in the second half on."""
    if len(lines) < 4:
        return lines
    for i in range(len(lines) // 2, len(lines)):
        if _TAIL_MARKER.match(lines[i]):
            lines = lines[:i]
            break
    if lines:
        lines[-1] = _TAIL_INLINE.sub("", lines[-1])
    return lines
