"""Every figure of a report, not only the catalogue's: 高新技术企业3万家, 造林面积120万亩,
新增5G基站2.5万个, each with the phrase it measures as written and its place in the text.

A figure is a measurement when it carries a unit (or %, ‰, 个百分点, 倍) and is none of
the things reports number without measuring: years and spans of years, ranks (第3位),
names in quotes (“3个100万”), glossary and note entries. Its subject is the clause before
it, less the linking words (达到, 增长, 比上年...) and scope words (全省, 全年); a clause
that is only linking words goes on with the subject of the figure before it in the
sentence (总额6744亿元、增长11.4%). Where no phrase can be told apart, the subject is the
clause and the fact says so (subject_unclear): no guess.

The catalogue's facts stay as the catalogue engine makes them; a figure it took, or a
subject that is a catalogue name, is left to it.
"""

from __future__ import annotations

import re

from zhibiao.domain import facts as engine
from zhibiao.domain import facts_rules as rules
from zhibiao.domain import indicators
from zhibiao.domain.model import DocumentMeta, Fact, Section
from zhibiao.domain.numbers import Figure, find_numbers

_CLAUSE_STOP = "，,；;：:、。！？!?\n（("
_SCOPE = re.compile(
    r"^(?:全国|全省|全市|全区|全县|全州|全盟|全旗|全域|我国|我省|我市|我区|我县|本市|本省|全年|年末|年底|今年|去年"
    r"|同时|此外|并|再|还|共|累计|总计)+"
)
_NOT_A_SUBJECT = re.compile(r"^[\s“”\"'‘’《》（）()【】\[\]—…·]*$")
_MAX_SUBJECT = 24  # past this the clause is a sentence, not a name
_MAX_QUOTE_SUBJECT = 120
_NOT_MEASURED_UNITS = ("年",)  # years and spans of years: dates, not measurements
# 引进10个重大项目: a count of the noun after it, not of the clause before
_NOUN_AFTER = re.compile(r"[“\"]?[\u4e00-\u9fff]{2}")
_COUNTED = re.compile(
    r"[“\"]?[\u4e00-\u9fff][\u4e00-\u9fff“”\"A-Za-z0-9+]{1,15}?(?=$|[，,；;。、（(）)和及与已均被]|(?:实现|达到|完成|获|入选|通过|建成|全部))"
)
_COMPARED = re.compile(r"^(?:高于|低于|快于|慢于|高出|超出|领先|追平)")
_ANAPHORIC = {
    "总数",
    "总量",
    "规模",
    "总计",
    "累计",
    "其中",
    "占比",
    "达",
    "共",
    "合计",
    "增量",
    "总金额",
    "总额",
    "总规模",
    "净增",
    "新增",
    "增加",
    "达到",
}
_QUOTED = re.compile(r"“[^”]{0,30}”|\"[^\"]{0,30}\"")
# 每10万人 (a rate's base), 年产3000辆 (a project's capacity in its name)
_NOT_MEASURED_BEFORE = re.compile(r"(?:每|年产|日产|年处理|日处理|年加工|仅用|用时|历时|±)$")
_MARK = re.compile(r"^(?:[①-⑳]|\d{1,2}[.、)）]|[（(]\d{1,2}[)）])\s*")  # list marks: ⑧新辟…, 5.调整…
_CLASS_AFTER = re.compile(
    r"(?:以上|以下)?[\u4e00-\u9fff]{0,3}(?:项目|企业|集团|县|城市|园区)(?:[\d一二三四五六七八九十两]|达|超|突破)"
)
_OTHER_BASE = re.compile(r"比(?!上年|去年)[^，,；;。]{1,12}?(?:时期|末|年)")
_CHANGED_TO = re.compile(r"(?:提高|增长|增加|提升|下降|降低|缩小|扩大|减少)(?:到|至)")
_ABSOLUTE_CHANGE = re.compile(r"增长|增加|减少|下降|净增|增产|减产|提高(?![到至为])")
_AIM = re.compile(r"^(?:力争|确保|争取|预计|力求|努力|初步预计)+")
_LINK_AFTER = re.compile(
    r"增长|增速|下降|以上|以内|以下|左右|上下|和|及|与|同比|比上年|较上年|分别|占|的|之|多|余|居|位|为|是"
)


def extract_open_facts(text: str, sections: list[Section], meta: DocumentMeta, catalogue: list[Fact]) -> list[Fact]:
    """The figures the catalogue does not cover, in text order."""
    doc = engine.read_parts(text, sections, meta)
    if doc is None:
        return []
    taken = {f.figure_start for f in catalogue}
    out: list[Fact] = []
    for start, end in engine.report_sentences(doc):
        out.extend(_sentence(doc, start, end, taken))
    return out


def _sentence(doc, start: int, end: int, taken: set[int]) -> list[Fact]:
    text = doc.text
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text, start, end)]
    figures = [f for f in engine._borrow_units(text, find_numbers(text, start, end)) if _measured(text, f, quoted)]
    out: list[Fact] = []
    previous: tuple[str, int, int] | None = None  # subject, its start, the end of its figure
    listed: list[tuple[str, int]] = []  # 国内游客、入境游客数量分别增长6.9%、68.4%: the names still owed a figure
    previous_link = ""
    for i, fig in enumerate(figures):
        clause_start = _clause_start(text, start, fig.start, quoted)
        narrow = text[clause_start : fig.start]
        owed = (
            listed
            and previous
            and not narrow[: _link_start(narrow)].strip()
            and _continues(text, previous[2], clause_start)
        )
        wide_start = _clause_start(text, start, fig.start, quoted, "、")
        if not owed and (
            "分别" in text[wide_start : fig.start] or not any(wide_start <= f.start < fig.start for f in figures)
        ):
            # 交通、水利、能源、市政领域投资分别达…, 市级以上孵化器、众创空间20个: the names run
            # back over 、 when no figure of their own stands between
            clause_start = wide_start
        phrase = text[clause_start : fig.start]
        cut = _link_start(phrase)
        subject, link = phrase[:cut].strip(), phrase[cut:]
        if "分别" in subject:
            subject, rest = subject.split("分别", 1)
            link = "分别" + rest + link
        if _OTHER_BASE.search(link):
            unclear = True  # 比“十三五”时期下降44.1%: a change against a base of its own
        else:
            unclear = False
        subject = _SCOPE.sub("", _MARK.sub("", subject))
        subject_start = clause_start + max(phrase.find(subject), 0)
        if subject.startswith("每") and _CONJUNCTION.search(subject):
            unclear = True  # 每千人托位、养老床位数: a rate per head shared by a list
        if owed:
            (subject, subject_start), listed = listed[0], listed[1:]
            link = previous_link
        elif "分别" in link:
            names = _coordinated(subject)
            run = _run_length(text, figures, i)
            if len(names) > 1:
                if len(names) != run:
                    names = [phrase.strip()] * run  # a list we cannot pair: flagged, not guessed
                    unclear = True
                listed = [(n, subject_start) for n in names[1:]]
                subject = names[0]
        elif not subject or _NOT_A_SUBJECT.match(subject):
            # 总额6744亿元、增长11.4%: the clause only links; the subject goes on
            if previous is None or not _continues(text, previous[2], clause_start):
                previous = None
                continue
            subject, subject_start = previous[0], previous[1]
        else:
            listed = []
        previous_link = link
        if _COMPARED.match(subject) or _NOT_MEASURED_BEFORE.search(text, max(start, fig.start - 3), fig.start):
            previous = None
            continue  # 高于全国0.7个百分点, 每10万人, 年产3000辆: no figure of the region's own
        after = fig_end_of(text, fig)
        if engine._FROM_TAIL.search(link) or (re.search(r"[从由]", link) and _CHANGED_TO.match(text, after)):
            previous = None
            continue  # 从人均8.7万元提高到12万元: where it came from is the catalogue's business, or none
        if fig.unit in ("小时", "天") and _NOUN_AFTER.match(text, after) and not _LINK_AFTER.match(text, after):
            previous = None
            continue  # 240小时过境免签政策: a figure in a name
        if _CLASS_AFTER.match(text, after):
            previous = None
            continue  # 100亿元以上项目6个: the size of a class, not a measurement
        counted_after = bool(_NOUN_AFTER.match(text, after)) and not _LINK_AFTER.match(text, after)
        counted = _COUNTED.match(text, after) if counted_after else None
        if counted and len(subject) <= 6:
            # 新增8个国家级临床重点专科, 全面完成221户国有“僵尸企业”处置工作: the words before, the noun after
            subject = _AIM.sub("", _SCOPE.sub("", phrase.strip())) + counted.group(0)
            # 办好以10件民生实事为引领的…: a clause hangs on the noun; flagged, not guessed
            counted_after = bool(re.search(r"的|为引领|以$", counted.group(0)) or phrase.strip().endswith("以"))
        if subject in _ANAPHORIC or len(subject) < 2:
            counted_after = True  # 总数达23家: the total of something named before
        # 5G基站 and PM2.5 are names; a subject holding a figure with a unit is a clause
        holds_figure = any(f.unit for f in find_numbers(subject))
        if holds_figure or len(subject) > _MAX_SUBJECT or counted_after:
            unclear = True
            subject = phrase.strip()[-_MAX_QUOTE_SUBJECT:] or text[max(start, fig.start - 20) : fig.start]
        subject = _AIM.sub("", subject) or subject
        suffix = engine._SUFFIX.match(text, fig.end)
        fig_end = suffix.end() if suffix else fig.end
        previous = (subject, subject_start, fig_end)
        if fig.start in taken or indicators.lookup(subject):
            continue  # the catalogue's own
        measure = _measure(link, fig)
        qualifier = "at_least" if fig.more else engine._qualifier(link, suffix.group(1) if suffix else None)
        strive = "力争" in text[engine._clause_start(text, fig.start, start) : fig.start]
        # 累计治理水土流失面积8000平方公里: 累计 before the name still sums over the stretch
        period_link = ("累计" + link) if "累计" in phrase and "累计" not in link else link
        pending = engine._Pending(fig, measure, qualifier, strive, period_link)
        fact = engine.figure_fact(
            doc, None, subject, pending, subject_start, start, end, people=fig.unit.endswith("人"), unclear=unclear
        )
        if fact is not None:
            out.append(fact)
    return out


def _clause_start(text: str, floor: int, pos: int, quoted: list[tuple[int, int]], passing: str = "") -> int:
    """After the last separator before pos that is not inside quotes (“千村引领、万村提升”),
    passing over the separators given."""
    i = pos - 1
    while i >= floor:
        if text[i] in _CLAUSE_STOP and text[i] not in passing and not any(a <= i < b for a, b in quoted):
            return i + 1
        i -= 1
    return floor


# 和, 及, 与 join names, but not inside 普及, 涉及, 参与, 和谐, 和美, 及时
_CONJUNCTION = re.compile(r"、|(?<![普涉以参给])[和及与](?![谐美时])")
_MEASURE_END = re.compile(r"(?:数|率|额|量|值|度|比重|面积|规模)$")
_HEAD = re.compile(
    r"(?:领域|行业)?(?:增加值|投资|数量|人数|产量|产值|总额|收入|营收|规模|面积|比重|销售额|零售额|交易额|利润|增速)$"
)


def _coordinated(subject: str) -> list[str]:
    """国内游客、入境游客数量 -> 国内游客数量, 入境游客数量: the names of a coordinated subject,
    the head written once on the last given to each."""
    names = [n for n in _CONJUNCTION.split(subject) if n]
    if len(names) < 2:
        return [subject]
    head = _HEAD.search(names[-1])
    if head:
        # 死亡人数 after 生产安全事故起数: a name that ends on a measure word has its own head
        names = [n if _HEAD.search(n) or _MEASURE_END.search(n) else n + head.group(0) for n in names[:-1]] + names[-1:]
    elif len({len(n) for n in names[:-1]}) == 1 and len(names[0]) < len(names[-1]) <= len(names[0]) + 6:
        # 刑事、治安案件: names of one length, the last with its head written once
        tail = names[-1][len(names[0]) :]
        names = [n + tail for n in names[:-1]] + names[-1:]
    return names


def _run_length(text: str, figures: list[Figure], i: int) -> int:
    """How many figures from i on are one list: separated by 、，和 only."""
    n = 1
    while i + n < len(figures) and re.fullmatch(
        r"[\s、，,和及与]*", text[fig_end_of(text, figures[i + n - 1]) : figures[i + n].start]
    ):
        n += 1
    return n


def fig_end_of(text: str, fig: Figure) -> int:
    suffix = engine._SUFFIX.match(text, fig.end)
    return suffix.end() if suffix else fig.end


def _measured(text: str, fig: Figure, quoted: list[tuple[int, int]]) -> bool:
    if not fig.unit or fig.unit in _NOT_MEASURED_UNITS:
        return False
    before, after = text[fig.start - 1 : fig.start], text[fig.end : fig.end + 1]
    if before == "第" or (before == "前" and fig.unit in ("名", "位")):
        return False  # ranks: 第3位, 前3名
    if fig.unit == "个" and after == "月":
        return False  # 连续10个月: a duration
    if after == "级":
        return False  # 30万吨级超大型油轮: a class, not an amount
    if fig.unit == "倍" and before == "的":
        return False  # 是正常消纳能力的10倍: relative to something else
    if not any(c.isdigit() for c in text[fig.start : fig.end]):
        return False  # 十件民生实事, 两个翻一番, 跑零次: names and idioms, not measurements
    if text[fig.end : fig.end + 1] == "/":
        return False  # 18.92万吨/日, 35微克/立方米: a unit we do not read whole
    return not any(a <= fig.start < b for a, b in quoted)


# 信访总量下降25.6%: 总量 is part of the name here, not a word on the way to the figure
_OPEN_LINK = rules.link_pattern(
    tuple(r for r in rules.LINK_RULES if r.name != "amount")
    + (rules.LinkRule("summed", r"累计|共计|共", "", "", ()), rules.LinkRule("per_head", r"年?人均", "", "", ()))
)


def _link_start(phrase: str) -> int:
    """Where the linking words before the figure begin: the shortest tail they cover whole
    (人均 is cut whole: its 均 is no 'each')."""
    for i in range(len(phrase) + 1):
        if _OPEN_LINK.fullmatch(phrase, i):
            return i - 1 if phrase[i - 1 : i + 1] == "人均" else i
    return len(phrase)


def _continues(text: str, previous_end: int, clause_start: int) -> bool:
    """Only a separator and link words lie between the previous figure and this clause."""
    between = text[previous_end:clause_start]
    return bool(re.fullmatch(r"[\s、，,]*", between))


def _measure(link: str, fig: Figure) -> str:
    if engine._SHARE_WORD.search(link) and fig.unit == "%":
        return "share"
    changed = engine._GROWTH_WORD.search(link) or engine._FALL_WORD.search(link)
    # 增长8% is a rate, 增加36个 an absolute change kept with its unit; 改造提升200万亩 is what
    # was upgraded, not a change
    if changed and (fig.unit in ("%", "个百分点", "倍") or _ABSOLUTE_CHANGE.search(link)):
        return "growth"
    return "value"
