"""Facts: every figure of a report with indicator, period, kind and measure.

A sentence is read left to right as indicator names and figures. A figure belongs to the
indicator named last only if the words between them are ones that link a subject to its
figure (完成, 达到, 增长, 占GDP比重, 分别, 同比, ...); any other word breaks the link, so
a figure about something outside the catalogue is never pinned on the indicator before
it. Precision first: when in doubt, no fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from zhibiao.domain import facts_context as ctx
from zhibiao.domain import facts_rules as rules
from zhibiao.domain import indicators
from zhibiao.domain.facts_subjects import THREE_SECTORS, Subject, find_subjects
from zhibiao.domain.model import DocumentMeta, Fact, Section
from zhibiao.domain.numbers import Figure, find_numbers, parse_chinese_number, scale_of

_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_LEAD = re.compile(r"^(?:[\s*#>—\-─―]|<[^>]*>)+")
_TRAIL = re.compile(r"(?:[\s*]|<[^>]*>)+$")

_SHARE = rules.SHARE
_FROM = rules.CAME_FROM
_LINK = rules.link_pattern()
_LIST_ONLY = re.compile(r"[\s,，、和及与]*")
_LIST_SEPARATOR = re.compile(r"\s*[,，、]\s*")
# 财政总收入50.8亿元，其中一般预算收入18.8亿元，分别增长…: 其中 names the next item of the list
_LISTED_NEXT = re.compile(r"\s*[,，、]\s*(?:其中\s*)?")
_HELD_AT = re.compile(r"(?:稳定|控制|保持)在")
_SINCE_BASE = re.compile(
    r"[\s,，、]*(?:比|较|是|与)(?P<year>(?:19|20)\d{2})\s*年(?:末|底)?的?(?:相比[,，]?)?(?:增长|提高|增加)?"
)
_SAME_BASE_BELOW = re.compile(r"(?:比|较)(?P<year>(?:19|20)\d{2})\s*年[（(]下同[）)]")
# the base year a 年均 counts from: 比2002年, 是2007年的, 从2015年的
_BASE_YEAR = re.compile(r"(?:比|较|是|与|从|由)(?P<year>(?:19|20)\d{2})\s*年")
_RESTATED = re.compile(r"[\s,，、（(]*(?:约合|折合|合)(?:人民币|美元)?约?")
_UNNAMED_PARTNERS = re.compile(r"(?:[、和及与][^,，。;；:：、和及与\d%％]{2,16}?)+(?=分别|均)")
_LIST_SEPARATOR_WORDS = re.compile(r"[、和及与]")
_UNNAMED_BETWEEN = re.compile(r"(?:[、和及与][^,，。;；:：、和及与\d%％]{2,16}?)+[、和及与]")
_GROWTH_WORD = re.compile(r"(?:增长|增速|增幅|涨幅|上涨|微涨|提高|提升|增加|比增|递增|上升)(?![到至为])")
_FALL_WORD = re.compile(r"(?:下降|微降|降低|减少|回落|降幅)(?![到至为])")
_SHARE_WORD = re.compile(_SHARE)
_FROM_TAIL = re.compile(_FROM + r"\s*$")

_SINGLE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年|一年|今年|去年|明年|本年")
# Bodies other than the region itself; named earlier in a sentence they own its figures.
# (企业 is not one: 规上工业企业, 中小企业 are classes of firms counted in the region's figures.)
_OTHER_ENTITY = re.compile(
    r"开发区|园区|新区|高新区|经开区|自贸区|自贸试验区|片区|经济区|示范区|经济圈|都市圈|城市群|经济带|集团|公司|景区|乡镇|街道|农场"
    # regions joined across borders: 川渝一体化…，地区生产总值…突破10万亿元 is the two's
    r"|川渝|成渝|京津冀|长三角|珠三角|粤港澳|大湾区|长株潭"
)
# An entity right after one of these is what the region acts on (完成乡镇行政区划调整), not the
# body a later figure belongs to.
_ACTED_ON = re.compile(
    r"(?:完成|推进|推动|支持|建设|创建|打造|培育|引进|调整|优化|深化|整合|撤并)[\u4e00-\u9fff“”]{0,8}$"
)  # 建设共同富裕示范区: the name the region works on, a few words after the verb
_MILESTONE = re.compile(r"新?(?:大关|关口|台阶)")
_SUFFIX = re.compile(r"\s?(左右|上下|以上|以内|以下|多|余)")
# Qualifier words before a figure. 不 turns a bound around (不少于 is at least, not 少于), so
# the negated words are listed on their own side and the bare ones must not follow 不.
_BEFORE_ABOUT = re.compile(r"(?:约|近|接近|将近|大约|大概)\s*$")
_BEFORE_AT_LEAST = re.compile(
    r"(?:不低于|不少于|不小于|至少|超过|(?<!不)超|突破|首破|跨过|跨越|逾|(?<!不)高于|(?<!不)多于)\s*$"
)
_BEFORE_AT_MOST = re.compile(
    r"(?:不超过|不高于|不多于|不大于|不到|控制在|(?<!不)低于|(?<!不)少于|最多)\s*(?:[^,，;；。\d不]{0,4})$"
)
_AFTER_QUAL = {
    "左右": "about",
    "上下": "about",
    "以上": "at_least",
    "多": "at_least",
    "余": "at_least",
    "以内": "at_most",
    "以下": "at_most",
}
# What may follow a figure: a stop, a conjunction, another figure, a note mark.
_FOLLOW_OK = re.compile(
    r"$|[\s,，、;；。:：!！?？)）(（\]】”\"'’…—\d〔\[①-⑳]|和|及|与|或|同比|比上年|较上年|增长|年均|分别"
)


@dataclass
class _Pending:
    """A figure linked to the current subject, waiting for its list to end."""

    fig: Figure
    measure: str
    qualifier: str | None
    strive: bool
    link: str
    said: bool = True  # the words said the measure (增长, 占…比重); False: the subject's default


def extract_facts(text: str, sections: list[Section], meta: DocumentMeta) -> list[Fact]:
    doc = read_parts(text, sections, meta)
    if doc is None:
        return []
    facts: list[Fact] = []
    for start, end in report_sentences(doc):
        facts.extend(_sentence_facts(doc, start, end))
    return _bounds_give_way(_dedupe(facts))


def read_parts(text: str, sections: list[Section], meta: DocumentMeta) -> _Doc | None:
    """The report as the figure rules read it (years, parts, five-year passages, what is left
    out), or None for a document with no figures to read: not a report, no years, no parts."""
    if meta.doc_type not in ("work_report", "other"):
        return None
    review_year, plan_year = ctx.report_years(text, meta)
    if review_year is None:
        return None
    parts = ctx.find_parts(sections, text)
    if not parts:
        return None
    passages = ctx.span_passages(text, parts, review_year, plan_year)
    return _Doc(text, sections, parts, passages, meta.region, review_year, plan_year, ctx.excluded_spans(text, parts))


def report_sentences(doc: _Doc):
    """The sentences of the review and plan parts, less glossaries, notes and chrome."""
    for start, end in _sentences(doc.text):
        if not ctx.in_spans(doc.skip, start) and ctx.part_at(doc.parts, start) is not None:
            yield start, end


@dataclass
class _Doc:
    text: str
    sections: list[Section]
    parts: list[ctx.Part]
    passages: list[ctx.Passage]
    region: str | None  # None when the report names none
    review_year: int
    plan_year: int
    skip: list[tuple[int, int]] = field(default_factory=list)  # glossaries, notes: no figures of the report


def _sentences(text: str):
    pos = 0
    for m in _SENTENCE_END.finditer(text + "\n"):
        s, e = pos, m.start()
        pos = m.end()
        lead = _LEAD.match(text, s, e)
        if lead:
            s = lead.end()
        trail = _TRAIL.search(text[s:e])
        if trail:
            e = s + trail.start()
        if e - s >= 4:
            yield s, e


def _sentence_facts(doc: _Doc, start: int, end: int) -> list[Fact]:
    text = doc.text
    subjects = find_subjects(text, start, end, doc.region or "")
    # ranks (第3) and years or spans of years (2020年, 五年) are not figures of an indicator
    figures = [
        f
        for f in _borrow_units(text, find_numbers(text, start, end))
        if text[f.start - 1 : f.start] != "第" and f.unit != "年"
    ]
    items = sorted([(s.start, 0, s) for s in subjects] + [(f.start, 1, f) for f in figures], key=lambda x: x[:2])
    out: list[Fact] = []
    subject: Subject | None = None
    anchor = start
    run: list[_Pending] = []
    prev_measure: str | None = None
    # subjects listed one after the other with one figure each (A 35000元、B 16000元), with
    # that figure's measure, for a 分别 that follows them; the measures the current subject took
    listed: list[tuple[Subject, str]] = []
    taken: list[str] = []
    last_single: Subject | None = None

    def flush() -> list[Fact]:
        return _flush(doc, _with_listed(subject, run, taken, listed), run, start, end)

    out.extend(_structure_facts(doc, start, end))
    for pos, kind, item in items:
        if pos < anchor:
            continue
        if kind == 0:
            between = _UNNAMED_BETWEEN.fullmatch(text, anchor, item.start) if subject and not taken else None
            if between and not subject.joint and not item.joint:
                # 财政总收入、一般预算收入、规模以上工业产值、全社会固定资产投资…分别增长: a name
                # outside the catalogue inside a list of them keeps its place in the list
                names = tuple(n for n in _LIST_SEPARATOR_WORDS.split(between.group(0)) if n)
                subject = Subject(
                    subject.codes + ("",) * len(names) + item.codes,
                    subject.labels + names + item.labels,
                    subject.start,
                    item.end,
                )
                anchor = item.end
                continue
            out.extend(flush())
            if subject is not None and len(taken) == 1 and _LISTED_NEXT.fullmatch(text[anchor : item.start]):
                listed.append((subject, taken[0]))
            else:
                listed = []
            run, subject, anchor, prev_measure, taken = [], item, item.end, None, []
            last_single = item if len(item.codes) == 1 else None
            if not item.scoped and _owned_by_other_entity(text, item.start):
                subject = last_single = None  # 开发区…,工业增加值达到30亿元: the figures of a park, not of the region
            continue
        fig: Figure = item
        if subject is None:
            # 粮食生产再创新高。播种面积…，总产量达到853.2亿斤: a clause that names its subject by
            # the paragraph's topic alone
            reopened = _clause_subject(text, _clause_start(text, fig.start, start), fig.start, None)
            if reopened is None:
                continue
            subject, anchor, prev_measure = reopened[0], reopened[1], None
        link = text[anchor : fig.start]
        if taken and _RESTATED.fullmatch(link):
            anchor = fig.end  # 9.5万元，约合1.5万美元，增长6.1%: the same figure in another currency
            continue
        base = _SINCE_BASE.fullmatch(link)
        if base and doc.review_year and int(base.group("year")) < doc.review_year - 1:
            # 比2002年增长46.3%，年均增长13.6%: the change over the years since is no year's
            # figure, and the 年均 after it is the stretch's (see _period)
            anchor = fig.end
            continue
        if base:
            link = "比上年" + link[base.end("year") + 1 :].lstrip(" 末底的")  # 比2018年增长7%: last year's
        partners = _UNNAMED_PARTNERS.match(link) if not run and not subject.joint else None
        if partners and _LINK.fullmatch(link, partners.end()):
            # 规上工业增加值、规上服务业营收分别增长6.5%和7%: names outside the catalogue listed
            # after this one take the figures after the first, in order
            names = tuple(n for n in _LIST_SEPARATOR_WORDS.split(partners.group(0)) if n)
            subject = replace(subject, codes=subject.codes + ("",) * len(names), labels=subject.labels + names)
        elif not _LINK.fullmatch(link):
            out.extend(flush())
            run, subject = [], None
            reopened = _clause_subject(text, _clause_start(text, fig.start, start), fig.start, last_single)
            if reopened is None:
                continue
            subject, anchor = reopened
            link, prev_measure = text[anchor : fig.start], None
        # 城乡居民收入比缩小至2.21∶1: the ratio is the first number, the 1 is not a figure
        one = _TO_ONE.match(text, fig.end) if fig.unit == "" else None
        after = one.end() if one else fig.end
        suffix = _SUFFIX.match(text, after)
        fig_end = suffix.end() if suffix else after
        if _FROM_TAIL.search(link):
            anchor = after  # 由1.87缩小至1.75 (由2.9∶1缩小至2.52∶1): the first figure is where it came from
            out.extend(_starting_level(doc, subject, fig, link, start, end))
            continue
        milestone = _MILESTONE.match(text, fig_end)
        if milestone and _figure_follows(text, figures, fig, milestone.end(), end):
            anchor = milestone.end()  # 首破5000亿元大关、达5141亿元: a threshold passed, not the figure
            continue
        if milestone:
            # 迈上14万亿元新台阶 with no figure after: the threshold is all the report says
            suffix, fig_end = milestone, milestone.end()
        if not milestone and not _follows_ok(text, fig, fig_end, end):
            out.extend(flush())
            run, subject = [], None
            continue
        anchor = fig_end
        measure = _measure(subject, link, fig, prev_measure)
        if run and not _LIST_ONLY.fullmatch(link):
            out.extend(flush())
            run = []
        qualifier = "at_least" if milestone or fig.more else _qualifier(link, suffix.group(1) if suffix else None)
        strive = "力争" in text[_clause_start(text, fig.start, start) : fig.start]
        said = bool(
            _SHARE_WORD.search(link)
            or _GROWTH_WORD.search(link)
            or _FALL_WORD.search(link)
            or subject.measure
            or (run and run[-1].said and _LIST_ONLY.fullmatch(link))
        )
        run.append(_Pending(fig, measure, qualifier, strive, link, said))
        taken.append(measure)
        prev_measure = measure
        # 城镇居民…17175元，农村居民人均纯收入5153元，实际增长9.8%和8.5%: figures joined by 和
        # or 、 right after this one are a list, read whole at its end
        joined_next = _JOINED_NEXT.match(text, fig_end, end)
        if len(subject.codes) == 1 and "分别" not in run[0].link and not joined_next:
            out.extend(flush())
            run = []
    out.extend(flush())
    return out


# 三次产业结构为17.4︰39.1︰43.5 (比例, 比重, 占比; 增加值 between): the three sectors' shares
# of value added, in %.
_STRUCTURE = re.compile(r"(?:三次产业|一二三产业|产业)(?:增加值)?(?:结构|比例|比重|占比|比)")
_RATIO = re.compile(
    r"(?<![\d.])(?P<a>\d+(?:\.\d+)?)\s*[:：︰∶]\s*(?P<b>\d+(?:\.\d+)?)\s*[:：︰∶]\s*(?P<c>\d+(?:\.\d+)?)(?![\d.:：︰∶])"
)


def _structure_facts(doc: _Doc, start: int, end: int) -> list[Fact]:
    out = []
    for key in _STRUCTURE.finditer(doc.text, start, end):
        stop = re.compile(r"[，,；;。]").search(doc.text, key.end(), end)
        ratios = list(_RATIO.finditer(doc.text, key.end(), stop.start() if stop else end))
        if not ratios or len(doc.text[key.end() : ratios[0].start()]) > 8:
            continue
        # 由8.7∶41.2∶50.1调整为7.4∶39.6∶53: where it came from, then the result
        from_first = re.search(r"由|从", doc.text[key.end() : ratios[0].start()])
        ratio = ratios[1] if from_first and len(ratios) > 1 else None if from_first else ratios[0]
        if ratio is None or not 99.0 <= sum(float(ratio.group(k)) for k in "abc") <= 101.0:
            continue  # not the shares of one whole
        subject = Subject(THREE_SECTORS, ("三次产业结构",) * 3, key.start(), key.end(), "share")
        for code, k in zip(THREE_SECTORS, "abc"):
            fig = Figure(float(ratio.group(k)), "%", ratio.start(k), ratio.end(k))
            fact = _make_fact(doc, code, "三次产业结构", _Pending(fig, "share", None, False, ""), subject, start, end)
            if fact is not None:
                out.append(fact)
    return out


def _with_listed(
    subject: Subject | None, run: list[_Pending], taken: list[str], listed: list[tuple[Subject, str]]
) -> Subject | None:
    """城镇居民人均可支配收入35000元、农村居民人均可支配收入16000元，分别增长8.1%和9.2%: the k
    figures after 分别 belong to the last k subjects listed, each with one figure of the same
    measure as the current subject's own first one."""
    k = len(run)
    if (
        subject is None
        or len(subject.codes) != 1
        or k < 2
        or not ("分别" in run[0].link or all(_LIST_ONLY.fullmatch(p.link) for p in run[1:]))
        or len(taken) - k != 1
        or len(listed) < k - 1
    ):
        return subject
    firsts = [s for s, measure in listed[len(listed) - (k - 1) :] if len(s.codes) == 1 and measure == taken[0]]
    if len(firsts) != k - 1:
        return subject
    return Subject(
        tuple(s.codes[0] for s in firsts) + subject.codes,
        tuple(s.labels[0] for s in firsts) + subject.labels,
        firsts[0].start,
        subject.end,
        subject.measure,
    )


def _borrow_units(text: str, figures: list[Figure]) -> list[Figure]:
    """7.5、8.5%: the unit written once on the last item of a list holds for all."""
    out = list(figures)
    for i in range(len(out) - 2, -1, -1):
        f, nxt = out[i], out[i + 1]
        if not f.unit and nxt.unit and _LIST_ONLY.fullmatch(text[f.end : nxt.start]) and text[f.end : nxt.start]:
            out[i] = replace(f, unit=nxt.unit)
    return out


_JOINED_NEXT = re.compile(r"\s*[、和及与]\s*(?=[-\d])")
_PARTIAL_YEAR = re.compile(
    r"[一二三四1-4]季度|上半年|下半年|前三季度|前[一二三四五六七八九十两\d]{1,2}个月|[1一][-—－~～至到][1-9一二三四五六七八九十]{1,2}月|今年以来"
)
_TO_ONE = re.compile(r"\s*[:：∶︰]\s*1(?![\d.])")
_CROPS = re.compile(r"粮食|油料|油菜|蔬菜|棉花|水果|茶叶|肉类|水产品|蚕茧|烤烟|甘蔗|食用菌|中药材|奶类|禽蛋")


def _clause_subject(text: str, clause: int, pos: int, last: Subject | None) -> tuple[Subject, int] | None:
    """The subject of a clause that names none of its own, and where its link starts:
    地区生产总值增长6.0%、全省第二，…，总量达到4773.3亿元 (总量: the subject named last);
    全市完成生产总值4406.3亿元，…，人均64331元 (人均: the product per head);
    粮食播种面积4741.4万亩，总产量295.6亿斤 (总产量: the crop's, grain's)."""
    grain = _GRAIN_OUTPUT_BACKREF.fullmatch(text, clause, pos)
    if grain and ((last and last.codes == ("grain_sown_area",)) or _crop_named_last(text, clause) == "粮食"):
        return Subject(("grain_output",), ("总产量",), grain.start(), grain.start() + 3), grain.start()
    if last is None:
        return None
    per_head = _PER_HEAD_BACKREF.fullmatch(text, clause, pos)
    if per_head and last.codes == ("gdp",):
        return Subject(("gdp_per_capita",), ("人均",), per_head.start(), per_head.start() + 2), per_head.start() + 2
    back = _TOTAL_BACKREF.fullmatch(text, clause, pos)
    return (last, back.start()) if back else None


def _crop_named_last(text: str, pos: int) -> str | None:
    """The crop the paragraph named last before pos: ——粮食生产再创新高。播种面积…，总产量… is grain's."""
    para_start = text.rfind("\n", 0, pos) + 1
    crops = _CROPS.findall(text, para_start, pos)
    return crops[-1] if crops else None


_GRAIN_OUTPUT_BACKREF = re.compile(r"(?:总产量|总产)(?:达到了?|达|为|突破|超过|稳定在)?")
_PER_HEAD_BACKREF = re.compile(r"人均(?:生产总值|GDP)?(?:达到了?|达|为|突破|超过)?")
_TOTAL_BACKREF = re.compile(r"(?:经济)?(?:总量|总额|总规模)(?:达到了?|达|为|突破|超过|迈上|跃上)?")
_PLAN_END = re.compile(r"[“\"]?(?P<p>十[一二三四五六]五)[”\"]?末")


def _starting_level(doc: _Doc, subject: Subject, fig: Figure, link: str, start: int, end: int) -> list[Fact]:
    """由“十二五”末的29.1亿元增长到50.1亿元: in a review, where a level came from is the
    level at the end of the year before the stretch (or the year the words name)."""
    if len(subject.codes) != 1 or ctx.part_at(doc.parts, fig.start) != "review":
        return []
    code = subject.codes[0]
    if _measure(subject, link, fig, None) != "value" or not _unit_fits(code, "value", fig):
        return []
    plan_end, year = _PLAN_END.search(link), re.search(r"((?:19|20)\d{2})\s*年", link)
    span = ctx.passage_at(doc.passages, fig.start)
    if plan_end:
        first = ctx.plan_first_year(plan_end.group("p"))
        period = first + 4 if first else None
    elif year:
        period = int(year.group(1))
    elif span is not None:
        period = span.first - 1
    else:
        return []
    if period is None:
        return []
    fact = _make_fact(doc, code, subject.labels[0], _Pending(fig, "value", None, False, link), subject, start, end)
    return [] if fact is None else [replace(fact, period=str(period), kind="actual")]


def _figure_follows(text: str, figures: list[Figure], fig: Figure, pos: int, end: int) -> bool:
    """Another figure in the same unit in the clause after pos (up to the next comma or
    stop): 首破5000亿元大关、达5141亿元, but not 迈上14万亿元新台阶、连续36年居全国首位."""
    m = re.compile(r"[,，;；。]").search(text, pos, end)
    clause_end = m.start() if m else end
    base = _base_unit(fig.unit)
    return any(pos <= f.start < clause_end and _base_unit(f.unit) == base for f in figures)


def _base_unit(unit: str) -> str:
    return unit.lstrip("万亿千百十")


def _follows_ok(text: str, fig: Figure, fig_end: int, end: int) -> bool:
    rest = text[fig_end:end]
    if fig.unit in ("%", "个百分点"):
        return not rest.startswith(("的", "之"))
    return bool(_FOLLOW_OK.match(rest))


def _clause_start(text: str, pos: int, floor: int) -> int:
    i = max(text.rfind(c, floor, pos) for c in ",，;；:：")
    return floor if i < 0 else i + 1


def _measure(subject: Subject, link: str, fig: Figure, prev: str | None) -> str:
    if _SHARE_WORD.search(link):
        return "share"
    if _GROWTH_WORD.search(link) or _FALL_WORD.search(link):
        return "growth"
    if prev and (_LIST_ONLY.fullmatch(link) or (prev == "growth" and fig.unit == "%")):
        return prev
    return subject.measure or indicators.get(subject.codes[0]).measure


def _qualifier(link: str, after: str | None) -> str | None:
    if after in ("左右", "上下"):
        return "about"  # 控制在5.5%左右 is about: 左右 wins
    if _BEFORE_ABOUT.search(link):
        return "about"
    if after:
        return _AFTER_QUAL[after]
    if _BEFORE_AT_MOST.search(link):
        return "at_most"
    if _BEFORE_AT_LEAST.search(link):
        return "at_least"
    return None


def _flush(doc: _Doc, subject: Subject | None, run: list[_Pending], start: int, end: int) -> list[Fact]:
    if subject is None or not run:
        return []
    n = len(subject.codes)
    if n == 1 and len(run) > 1:
        return []  # 先进制造业、高技术制造业增加值…分别, …增长9.8%和8.5%: a list we could not pair
    if n == 1:
        pairs = [(subject.codes[0], subject.labels[0], p) for p in run]
    elif len(run) == n:
        run = _list_qualifier(run)
        pairs = [
            (code, label, _own_measure(code, label, p)) for code, label, p in zip(subject.codes, subject.labels, run)
        ]
    elif len(run) == 1 and (
        re.search(r"分别|均", run[0].link)
        or (run[0].measure == "growth" and (subject.joint or _GROWTH_WORD.search(run[0].link)))
        or (_HELD_AT.search(run[0].link) and len({indicators.get(c).unit_kind for c in subject.codes if c}) == 1)
    ):
        # 城乡居民人均可支配收入增长9.5%, 社会消费品零售总额、固定资产投资增长4%左右: one growth
        # written once for every series named; 城镇调查失业率和登记失业率稳定在4.3%左右: one
        # level both are held at
        pairs = [(code, label, _own_measure(code, label, run[0])) for code, label in zip(subject.codes, subject.labels)]
    else:
        return []
    out = []
    for code, label, p in pairs:
        if not code:
            continue  # a name outside the catalogue, listed beside one of it
        fact = _make_fact(doc, code, label, p, subject, start, end)
        if fact is not None:
            out.append(fact)
    return out


def _list_qualifier(run: list[_Pending]) -> list[_Pending]:
    """分别增长9%和10%以上: a qualifier written once after the last item of a list holds
    for every item that has none of its own."""
    last = run[-1].qualifier
    if last is None or not all(_LIST_ONLY.fullmatch(p.link) for p in run[1:]):
        return run
    return [p if p.qualifier else replace(p, qualifier=last) for p in run]


def _own_measure(code: str, label: str, p: _Pending) -> _Pending:
    """In a coordinated list, a measure no word said is each indicator's own: 城镇调查失业率、
    居民消费价格涨幅分别为5.5%和2% gives a rate and a price rise."""
    if p.said or not code:
        return p
    implied = indicators.lookup(label)
    measure = (implied[1] if implied and implied[0] == code else None) or indicators.get(code).measure
    return p if measure == p.measure else replace(p, measure=measure)


def _unit_fits(code: str, measure: str, fig: Figure) -> bool:
    ind = indicators.get(code)
    if code == "cpi" and fig.unit == "" and 90 <= fig.value <= 120:
        return True  # 居民消费价格指数为102.7: an index (see figure_fact)
    if measure == "share":
        return fig.unit == "%"
    if measure == "growth":
        if ind.unit_kind == "percent" and ind.measure == "value":
            return fig.unit == "个百分点"
        return fig.unit == "%"
    if ind.unit_kind == "ratio":
        return fig.unit == "" and 0 < fig.value < 10
    return fig.unit in indicators.UNITS_BY_KIND[ind.unit_kind]


def _make_fact(doc: _Doc, code: str, label: str, p: _Pending, subject: Subject, start: int, end: int) -> Fact | None:
    if not _unit_fits(code, p.measure, p.fig):
        return None
    return figure_fact(
        doc, code, label, p, subject.start, start, end, people=indicators.get(code).unit_kind == "people"
    )


def figure_fact(
    doc: _Doc,
    code: str | None,
    label: str,
    p: _Pending,
    subject_start: int,
    start: int,
    end: int,
    *,
    people: bool,
    unclear: bool = False,
) -> Fact | None:
    """The fact of one linked figure, catalogue or not: its period and kind, sign, flags."""
    fig, measure = p.fig, p.measure
    text = doc.text
    value, value_max = fig.value, fig.value_max
    unit = fig.unit
    if code == "cpi" and value_max is None and 90 <= value <= 120:
        # 居民消费价格指数101.7% (为102.7): an index on last year's 100
        value, unit = round(value - 100, 4), "%"
    if measure == "growth" and _FALL_WORD.search(p.link) and value > 0:
        value, value_max = -value, (None if value_max is None else -value_max)
        if value_max is not None:
            value, value_max = value_max, value
    period_kind = _period(doc, subject_start, fig, p.link, measure, people, catalogued=code is not None)
    if period_kind is None:
        return None
    period, kind = period_kind
    long_start = _long_sentence_start(text, start)
    return Fact(
        indicator=code,
        indicator_label=label,
        subject=label,
        subject_unclear=unclear,
        region=doc.region,
        period=period,
        kind=kind,
        measure=measure,
        value=value,
        unit=unit,
        quote=text[start:end],
        start=start,
        end=end,
        value_max=value_max,
        qualifier=p.qualifier,
        estimated="预计" in text[long_start : fig.start],
        strive=p.strive,
        section=_section_at(doc.sections, start),
        figure_start=fig.start,
        figure_end=fig.end,
    )


def _owned_by_other_entity(text: str, pos: int) -> bool:
    """Another body is the topic of the clauses before pos, back to the last full stop or
    semicolon (a semicolon ends one item of a list of the region's results)."""
    floor = _long_sentence_start(text, pos, stops="。！？!?；;\n")
    return any(not _ACTED_ON.search(text, floor, m.start()) for m in _OTHER_ENTITY.finditer(text, floor, pos))


def _long_sentence_start(text: str, pos: int, stops: str = "。！？!?\n") -> int:
    return max(text.rfind(c, 0, pos) for c in stops) + 1


def _period(
    doc: _Doc, subject_start: int, fig: Figure, link: str, measure: str, people: bool, *, catalogued: bool
) -> tuple[str, str] | None:
    text = doc.text
    part = ctx.part_at(doc.parts, fig.start)
    if part is None:
        return None
    # 一季度国内生产总值下降6.8%: a part of a year is not the year's figure
    before_subject = text[_clause_start(text, subject_start, _long_sentence_start(text, subject_start)) : subject_start]
    if _PARTIAL_YEAR.search(before_subject) or (_PARTIAL_YEAR.search(link) and not re.search("[从由]", link)):
        return None
    para_start = text.rfind("\n", 0, fig.start) + 1
    long_start = _long_sentence_start(text, fig.start)
    # the paragraph's first clause (“十三五”时期，…; 过去五年，…), not its whole first sentence: a
    # targets list may end on 全面完成“十四五”期间… after the year's own figures
    opening = text[para_start : min(_first_stop(text, para_start), _clause_end(text, para_start))]
    context = "\n".join((_inner_heading(doc.sections, fig.start), opening, text[long_start : fig.start]))
    year = ctx.explicit_year(text, long_start, subject_start)
    # 刚刚过去的2025年，…: a paragraph that opens on one year is about that year, whatever
    # five-year stretch its heading names
    para_end = text.find("\n", fig.start)
    opened = (
        ctx.opening_year(text[para_start : len(text) if para_end < 0 else para_end], doc.review_year)
        if part == "review"
        else None
    )
    stretch = ctx.paragraph_span(context, part, doc.review_year, doc.plan_year) or ctx.passage_at(
        doc.passages, fig.start
    )
    yearly_average = "年均" in text[subject_start : fig.start]
    if measure == "growth" and not yearly_average and doc.review_year:
        # 全县生产总值340亿元，比2012年(下同)增长47.7%；固定资产投资…增长125.1%: every growth
        # after it in the paragraph is since that year, none is a year's
        same = _SAME_BASE_BELOW.search(text, para_start, fig.start)
        if same and int(same.group("year")) < doc.review_year - 1:
            return None
    # 2021年，预计实现地区生产总值230亿元，年均增长5.4%: in a five-year passage, a paragraph that
    # opens on the last year gives that year's levels, and its 年均 is still the stretch's
    span = None if opened and not (yearly_average and measure == "growth") else stretch
    if year is None and opened:
        year = opened
    # 十年增加近70万亿元、年均增长6.2%: a figure over years of its own is not the stretch's
    years_named = {_years_in(m.group(1)) for m in _DURATION.finditer(text, subject_start, fig.start)}
    if years_named and years_named != ({span.last - span.first + 1} if span else set()):
        return None
    # 累计 in the link; or opening the clause in a stretch's passage (五年累计完成固定资产投资
    # 4626亿元), where outside one it is a total to date (累计创建绿色工厂170家), the year's level
    cumulative = bool(re.search("累计(?!同比)", link)) or (
        span is not None and "累计" in text[_clause_start(text, subject_start, long_start) : subject_start]
    )
    if (yearly_average and measure == "growth") or cumulative:
        if span is not None:
            return span.label(), ("actual" if part == "review" else "target")
        if year and part == "plan" and year > doc.plan_year:
            return f"{doc.plan_year}-{year}", "target"
        since = _BASE_YEAR.search(text, subject_start, fig.start)
        if since and part == "review" and doc.review_year and int(since.group("year")) < doc.review_year - 1:
            # 国内生产总值…比2002年增长46.3%，年均增长13.6%; 从2015年的4670亿元提高到6871亿元，
            # 年均增长7.2%: the years since the base year
            return f"{int(since.group('year')) + 1}-{doc.review_year}", "actual"
        return None
    if year is not None:
        return str(year), ("actual" if year <= doc.review_year else "target")
    if span is not None:
        if measure == "growth":
            return None
        if part == "review":
            # levels are as at the end of the stretch; head counts add up over it
            if people:
                return span.label(), "actual"
            return str(span.last), "actual"
        if (
            catalogued
            and not people
            and not _EACH_YEAR.search(text, _clause_start(text, subject_start, long_start), fig.start)
        ):
            # “十五五”时期…城镇化率达63%左右: a level an indicator is to reach is its level in
            # the stretch's last year. Not a head count or a 每年 figure (each year's), nor a
            # figure outside the catalogue (5个方面, 22项主要指标, 改造2000万套: counts of the
            # plan itself or of work done over the stretch)
            return str(span.last), "target"
        return None
    if part == "review":
        return str(doc.review_year), "actual"
    return str(doc.plan_year), "target"


_EACH_YEAR = re.compile(r"每年|年均|逐年|年度")
_DURATION = re.compile(r"(?<![\d一二三四五六七八九十两])([一二三四五六七八九十两]{1,2}|\d{1,2})年(?!\d)")


def _years_in(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else int(parse_chinese_number(numeral) or 0)


def _clause_end(text: str, start: int) -> int:
    m = re.compile(r"[，,；;：:]").search(text, start)
    return m.start() if m else len(text)


def _first_stop(text: str, start: int) -> int:
    m = re.compile(r"[。！？!?\n]").search(text, start)
    return m.start() if m else len(text)


def _inner_heading(sections: list[Section], pos: int) -> str:
    """Headings around pos that name a multi-year stretch and no single year: a section
    titled 今后五年发展目标任务 sets the period of its figures, 2021年及过去五年 does not."""
    heads = [s.heading for s in sections if s.start <= pos < s.end]
    return "\n".join(h for h in heads if not _SINGLE_YEAR.search(h))


def _section_at(sections: list[Section], pos: int) -> str | None:
    inner = [s for s in sections if s.start <= pos < s.end]
    return max(inner, key=lambda s: (s.level, s.start)).heading if inner else None


def _bounds_give_way(facts: list[Fact]) -> list[Fact]:
    """An actual stated exactly makes a bound on the same key that holds for it redundant:
    突破3万亿元、达3.6万亿元, 粮食产量跃上500亿斤台阶 beside 粮食产量515.6亿斤. Targets keep
    every bound (增长7%以上、力争达到8% are two)."""
    exact: dict[tuple, list[float]] = {}
    for f in facts:
        if f.kind == "actual" and f.qualifier is None and f.value_max is None:
            exact.setdefault(_key(f), []).append(f.value * scale_of(f.unit))
    out = []
    for f in facts:
        values = exact.get(_key(f), []) if f.kind == "actual" and f.qualifier in ("at_least", "at_most") else []
        bound = f.value * scale_of(f.unit)
        if any((v >= bound) if f.qualifier == "at_least" else (v <= bound) for v in values):
            continue
        out.append(f)
    return out


def _key(f: Fact) -> tuple:
    return f.region, f.period, f.indicator, f.kind, f.measure, _base_unit(f.unit)


def _dedupe(facts: list[Fact]) -> list[Fact]:
    seen = set()
    out = []
    for f in facts:
        key = (f.indicator, f.period, f.kind, f.measure, f.value, f.value_max, f.unit, f.start)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
