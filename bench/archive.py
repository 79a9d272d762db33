"""A whole archive for benchmarks, made from the real reports of ../shared/corpus/.

Each source report is extracted once (zhibiao.parsing.extraction.extract_bytes, cached on disk by
the file's sha256 and the extractor version); every archive document is a variant of one
Extraction: the region swapped for a real division of zhibiao/data/divisions.tsv (in the
metadata, the facts and the text, offsets moved to match), the years shifted (text,
periods, metadata), the figures scaled. The text, the facts and their distribution stay
those of real reports. Documents go into the database through the store's own writes
(writes.apply_received, writes.apply_extracted: what services/store applies for a
document.received and a document.extracted message), one transaction per document.

Divisions and years are drawn as the real archive has them: ~1 % provinces, ~11 %
prefectures, ~88 % counties and districts, plan years 2007-2026; each (division, year)
once, so no two documents are copies of one report.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import json
import pickle
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from zhibiao.domain import regions
from zhibiao.domain.model import DocumentMeta, Extraction, Fact
from zhibiao.domain.search_text import Paragraph

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CACHE = Path.home() / ".cache" / "zhibiao-archive"
YEARS = range(2007, 2027)
_SUFFIXES = (".txt", ".md", ".docx", ".html")


@dataclass(frozen=True)
class Source:
    name: str
    extraction: Extraction
    media_type: str
    pages: int


def source_files() -> list[Path]:
    files = [*CORPUS.glob("*"), *(CORPUS / "breadth").glob("*")]
    return sorted(p for p in files if p.suffix in _SUFFIXES and p.name != "README.md")


@lru_cache(maxsize=1)
def sources() -> list[Source]:
    """Every corpus report extracted once (the extraction of a file is cached by its bytes)."""
    from zhibiao.parsing.extraction import EXTRACTOR_VERSION, extract_bytes

    CACHE.mkdir(parents=True, exist_ok=True)
    out = []
    for path in source_files():
        data = path.read_bytes()
        key = CACHE / f"{hashlib.sha256(data).hexdigest()[:24]}-{EXTRACTOR_VERSION}.pickle"
        if not key.exists():  # plain tuples: a Source pickled from a script would name __main__
            result = extract_bytes(data, path.name)
            key.write_bytes(pickle.dumps((result.extraction, result.media_type, result.pages)))
        out.append(Source(path.name, *pickle.loads(key.read_bytes())))
    return [s for s in out if s.extraction.meta.region and s.extraction.meta.plan_year and s.extraction.facts]


def divisions() -> dict[str, list[regions.Region]]:
    """Real divisions by level: province, city, county (districts with counties)."""
    by_code, _ = regions._divisions()
    out: dict[str, list[regions.Region]] = {"province": [], "city": [], "county": []}
    for d in by_code.values():
        if d.code == "000000" or not d.code.isdigit():
            continue
        level = "county" if d.level == "district" else d.level
        out[level].append(regions.region_of(d))
    return out


def _level(admin_level: str | None) -> str:
    return {"national": "province", "district": "county"}.get(admin_level or "", admin_level or "county")


def plan(n: int, sources_: list[Source], *, seed: int = 13) -> list[tuple[Source, regions.Region, int]]:
    """n (source, target division, plan year), each division-year once; a source of the
    target's level where the corpus has one."""
    rng = random.Random(seed)
    pools = divisions()
    by_level: dict[str, list[Source]] = {}
    for s in sources_:
        by_level.setdefault(_level(s.extraction.meta.admin_level), []).append(s)
    weights = {"province": 0.01, "city": 0.11, "county": 0.88}
    seen: set[tuple[str, int]] = set()
    out = []
    while len(out) < n:
        level = rng.choices(list(weights), weights=list(weights.values()))[0]
        target = rng.choice(pools[level])
        year = rng.choice(YEARS)
        if (target.name, year) in seen:
            continue
        seen.add((target.name, year))
        out.append((rng.choice(by_level.get(level) or sources_), target, year))
    return out


# --- one variant -------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")


class _Edits:
    """Offsets in a text before replacements -> offsets after them."""

    def __init__(self, edits: list[tuple[int, int, int]]) -> None:  # (old start, old end, new length)
        self._ends = [e for _, e, _ in edits]
        self._starts = [s for s, _, _ in edits]
        self._shift, total = [], 0
        for s, e, n in edits:
            total += n - (e - s)
            self._shift.append(total)

    def __call__(self, pos: int | None) -> int | None:
        if pos is None:
            return None
        i = bisect.bisect_right(self._ends, pos)  # edits wholly before pos
        base = self._shift[i - 1] if i else 0
        if i < len(self._starts) and self._starts[i] < pos:  # inside an edit: its start
            return self._starts[i] + base
        return pos + base


def _names(region: str) -> list[str]:
    """How a report writes its region: the full name, the division's own name, its short name."""
    own = region
    m = re.match(r".+?(?:市|地区|自治州|盟)(.{2,})$", region)
    if m and regions.level_of(region) in ("district", "county"):
        own = m.group(1)  # 杭州市滨江区 -> 滨江区
    return [n for n in dict.fromkeys([region, own, regions.short_name(own)]) if n]


def _swap(text: str, old: list[str], new: list[str], shift: int) -> tuple[str, _Edits, dict[str, str]]:
    """The text with the region's names replaced (full for full, short for short) and every
    year moved by `shift` (same length, so only the names move offsets)."""
    pairs = {o: (new[min(i, len(new) - 1)]) for i, o in enumerate(old)}
    pattern = re.compile("|".join(re.escape(o) for o in sorted(pairs, key=len, reverse=True)))
    edits, parts, pos = [], [], 0
    for m in pattern.finditer(text):
        parts += [text[pos : m.start()], pairs[m.group()]]
        edits.append((m.start(), m.end(), len(pairs[m.group()])))
        pos = m.end()
    parts.append(text[pos:])
    return _shift_years("".join(parts), shift), _Edits(edits), pairs


def _shift_years(text: str, shift: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group()) + shift), text) if shift else text


def _period(period: str, shift: int) -> str:
    return _shift_years(period, shift)


def variant(source: Source, target: regions.Region, year: int, *, rng: random.Random) -> dict:
    """The fields of a document.extracted message for `source` rewritten as `target`'s report for `year`."""
    ex = source.extraction
    shift = year - ex.meta.plan_year
    old, new = _names(ex.meta.region), _names(target.name)
    text, at, pairs = _swap(ex.text, old, new, shift)
    token_pairs = [(f" {o} ", f" {n} ") for o, n in pairs.items()]
    level_scale, growth_scale = rng.uniform(0.3, 3.0), rng.uniform(0.7, 1.3)

    def scaled(f: Fact, v: float | None) -> float | None:
        if v is None:
            return None
        return round(v * (growth_scale if f.unit in ("%", "个百分点") else level_scale), 2)

    facts = []
    for f in ex.facts:
        start, end = at(f.start), at(f.end)
        facts.append(
            dataclasses.replace(
                f,
                region=target.name if f.region else None,
                period=_period(f.period, shift),
                start=start,
                end=end,
                quote=text[start:end],
                figure_start=at(f.figure_start),
                figure_end=at(f.figure_end),
                value=scaled(f, f.value),
                value_max=scaled(f, f.value_max),
                section=_swap(f.section, old, new, shift)[0] if f.section else None,
            )
        )
    sections = [
        dataclasses.replace(s, heading=_swap(s.heading, old, new, shift)[0], start=at(s.start), end=at(s.end))
        for s in ex.sections
    ]
    tasks = [
        dataclasses.replace(
            t, text=_shift_years(t.text, shift), progress=t.progress and _shift_years(t.progress, shift)
        )
        for t in ex.tasks
    ]
    paragraphs = []
    for p in ex.paragraphs:
        tokens = _shift_years(p.tokens, shift)
        for o, n in token_pairs:
            tokens = tokens.replace(o, n)
        paragraphs.append(Paragraph(at(p.start), at(p.end), tokens))
    m = ex.meta
    meta = DocumentMeta(
        **{
            **dataclasses.asdict(m),
            "region": target.name,
            "admin_level": target.level,
            "title": m.title and _swap(m.title, old, new, shift)[0],
            "delivered_on": m.delivered_on and _shift_years(m.delivered_on, shift),
            "review_year": m.review_year and m.review_year + shift,
            "plan_year": year,
        }
    )
    return {
        "meta": meta,
        "text": text,
        "facts": facts,
        "sections": sections,
        "tasks": tasks,
        "paragraphs": paragraphs,
        "keywords": ex.keywords,
        "media_type": source.media_type,
        "pages": source.pages,
        "ocr_pages": 0,
    }


def documents(n: int, *, seed: int = 13) -> Iterator[tuple[str, str, dict]]:
    """(document id, source name, fields) of n archive documents."""
    sources_ = sources()
    rng = random.Random(seed)
    for source, target, year in plan(n, sources_, seed=seed):
        doc_id = hashlib.sha256(f"{source.name}|{target.name}|{year}".encode()).hexdigest()
        name = f"{target.name}-{year}-{source.name}"
        yield doc_id, name, variant(source, target, year, rng=rng)


# --- loading -----------------------------------------------------------------------------


def load(sessions, n: int, *, seed: int = 13, progress=None) -> int:
    """n archive documents written through the store's write functions, one transaction
    each (as the store applies a message); returns how many facts were written."""
    from zhibiao.db import writes
    from zhibiao.plumbing.messages import DocumentExtracted, DocumentReceived

    facts = 0
    for i, (doc_id, name, fields) in enumerate(documents(n, seed=seed)):
        received = DocumentReceived(
            document_id=doc_id,
            key=f"archive/{name}",
            source_name=name,
            size_bytes=len(fields["text"].encode()),
            received_at=datetime.now(UTC),
        )
        extracted = DocumentExtracted.model_construct(document_id=doc_id, extractor_version="archive", **fields)
        with sessions() as session, session.begin():
            writes.apply_received(session=session, msg=received)
            writes.apply_extracted(session=session, msg=extracted)
        facts += len(fields["facts"])
        if progress and (i + 1) % 500 == 0:
            progress(i + 1)
    return facts


if __name__ == "__main__":  # a look at what is made: python bench/archive.py 5
    import sys

    for doc_id, name, fields in documents(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        print(
            json.dumps(
                {
                    "id": doc_id[:12],
                    "name": name,
                    "region": fields["meta"].region,
                    "year": fields["meta"].plan_year,
                    "facts": len(fields["facts"]),
                    "first": fields["facts"][0].quote[:60] if fields["facts"] else None,
                },
                ensure_ascii=False,
            )
        )
