"""Ruled tables in PDF pages, read cell by cell so supervision tables keep their columns.

PDFium's text of a ruled table runs the cells of a row one after another, so which text
was which column is lost. Pages whose drawing holds a grid of rules are read again with
pdfplumber: each table row becomes one line of tab-separated cells (the form cleanup and
task parsing expect), and the text around the tables (title, the heading naming the
leading official) stays where it was on the page.

Finding the grid is cheap on purpose: every page of every PDF is looked at, and prose
pages have no rules, so a sample of the page's object types settles most pages. A sample
can miss a grid drawn as a short run of paths among many text objects, so once a document
has shown one table every later page is looked at in full (and the reader looks again at
the pages before it).
"""

from __future__ import annotations

import ctypes
import io
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# Objects whose type is sampled before a page is looked at in full: a ruled table draws its
# rules as dozens of path objects spread over the page, a prose page draws none.
TYPE_SAMPLE = 48
# A rule is a path at most this thick (points) and at least this long.
RULE_THICKNESS = 3.0
RULE_MIN_LENGTH = 8.0
# A grid: column rules (a page cut out of a long row may show no horizontal rule at all),
# or row rules with a frame, or boxes drawn as one path each.
MIN_COLUMN_RULES = 3
MIN_ROW_RULES = 3
MIN_BOXES = 4
# Form XObjects nest; real files nest a level or two.
MAX_FORM_DEPTH = 4

_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM

# ctypes' own pointer types make each call several times slower than passing plain
# addresses; this loop runs over every object of pages that have paths.
_vp = ctypes.c_void_p
_get_object = ctypes.CFUNCTYPE(_vp, _vp, ctypes.c_int)(ctypes.cast(pdfium_c.FPDFPage_GetObject, _vp).value)
_get_type = ctypes.CFUNCTYPE(ctypes.c_int, _vp)(ctypes.cast(pdfium_c.FPDFPageObj_GetType, _vp).value)
_count_objects = ctypes.CFUNCTYPE(ctypes.c_int, _vp)(ctypes.cast(pdfium_c.FPDFPage_CountObjects, _vp).value)
_form_count = ctypes.CFUNCTYPE(ctypes.c_int, _vp)(ctypes.cast(pdfium_c.FPDFFormObj_CountObjects, _vp).value)
_form_object = ctypes.CFUNCTYPE(_vp, _vp, ctypes.c_ulong)(ctypes.cast(pdfium_c.FPDFFormObj_GetObject, _vp).value)
_Float = ctypes.c_float
_PFloat = ctypes.POINTER(_Float)
_get_bounds = ctypes.CFUNCTYPE(ctypes.c_int, _vp, _PFloat, _PFloat, _PFloat, _PFloat)(
    ctypes.cast(pdfium_c.FPDFPageObj_GetBounds, _vp).value
)


def has_ruling(page: pdfium.PdfPage, *, thorough: bool = False) -> bool:
    """Whether the page draws a grid of rules: worth reading as a table. Unless `thorough`,
    a page whose sampled objects hold no path is taken to have none."""
    raw = ctypes.cast(page.raw, _vp).value
    count = _count_objects(raw)
    step = max(1, count // TYPE_SAMPLE)
    sampled = range(step // 2, count, step)
    if not thorough and not any(_get_type(_get_object(raw, i)) in (_PATH, _FORM) for i in sampled):
        return False
    grid = _Rules()
    for i in range(count):
        grid.add(_get_object(raw, i), 0)
    return grid.is_grid()


@dataclass
class _Rules:
    horizontal: set[int] = field(default_factory=set)
    vertical: set[int] = field(default_factory=set)
    boxes: int = 0

    def add(self, obj: int, depth: int) -> None:
        kind = _get_type(obj)
        if kind == _FORM and depth < MAX_FORM_DEPTH:
            for i in range(_form_count(obj)):
                self.add(_form_object(obj, i), depth + 1)
            return
        if kind != _PATH:
            return
        left, bottom, right, top = _Float(), _Float(), _Float(), _Float()
        if not _get_bounds(obj, left, bottom, right, top):
            return
        width, height = right.value - left.value, top.value - bottom.value
        if height <= RULE_THICKNESS and width >= RULE_MIN_LENGTH:
            self.horizontal.add(round(bottom.value))
        elif width <= RULE_THICKNESS and height >= RULE_MIN_LENGTH:
            self.vertical.add(round(left.value))
        elif width >= RULE_MIN_LENGTH and height >= RULE_MIN_LENGTH:
            # A cell's box, or a whole grid stroked as one path; pdfplumber tells which.
            self.boxes += 1

    def is_grid(self) -> bool:
        columns = len(self.vertical) >= MIN_COLUMN_RULES
        rows = len(self.horizontal) >= MIN_ROW_RULES and len(self.vertical) >= 2
        return columns or rows or self.boxes >= MIN_BOXES


@dataclass
class PageLayout:
    """A page read as tables: text lines (str) and tables (lists of rows of cells), top to bottom."""

    items: list[str | list[list[str]]]


class TableReader:
    """pdfplumber over the same bytes, opened only when a page turns out to hold a grid."""

    def __init__(self, data: bytes):
        self._data = data
        self._pdf = None
        self.found = False  # some page of the document held a table

    def read(self, page: pdfium.PdfPage, index: int, *, thorough: bool = False) -> PageLayout | None:
        """The page's tables and the text around them; None when it draws no table."""
        if not has_ruling(page, thorough=thorough or self.found):
            return None
        layout = self._layout(index)
        self.found = self.found or layout is not None
        return layout

    def _layout(self, index: int) -> PageLayout | None:
        try:
            if self._pdf is None:
                import pdfplumber

                self._pdf = pdfplumber.open(io.BytesIO(self._data))
            page = self._pdf.pages[index]
            try:
                return _page_layout(page)
            finally:
                page.close()
        except Exception:  # noqa: BLE001
            # pdfminer raises many kinds of errors on files PDFium reads fine; PDFium's text
            # is still a reading of the page, only without columns.
            return None

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _page_layout(page) -> PageLayout | None:
    settings = {"explicit_horizontal_lines": _closing_rules(page)}
    tables = [t for t in page.find_tables(settings) if _columns(t) >= 2]
    if not tables:
        return None
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    placed: list[tuple[float, str | list[list[str]]]] = [
        (line["top"], line["text"]) for line in page.filter(outside).extract_text_lines(return_chars=False)
    ]
    for table in tables:
        rows = [[join_cell_lines(cell or "") for cell in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if rows:
            placed.append((table.bbox[1], rows))
    placed.sort(key=lambda item: item[0])
    return PageLayout(items=[item for _, item in placed])


def _columns(table) -> int:
    return max((len(row.cells) for row in table.rows), default=0)


def _closing_rules(page) -> list[dict]:
    """Rules where a table's vertical rules end with no horizontal rule drawn there.

    Generators often leave a row that breaks across pages open at the break (no rule under
    its first part, none over the rest), and pdfplumber drops a row it cannot close.
    """
    vertical = [e for e in page.edges if e["orientation"] == "v" and e["height"] >= RULE_MIN_LENGTH]
    horizontal = [e for e in page.edges if e["orientation"] == "h" and e["width"] >= RULE_MIN_LENGTH]
    ends: dict[int, list[dict]] = {}
    for edge in vertical:
        for y in (edge["top"], edge["bottom"]):
            ends.setdefault(round(y), []).append(edge)
    rules = []
    for y, edges in ends.items():
        if len(edges) < 2:
            continue
        x0, x1 = min(e["x0"] for e in edges), max(e["x1"] for e in edges)
        closed = any(
            abs(h["top"] - y) <= RULE_THICKNESS and h["x0"] <= x0 + 1 and h["x1"] >= x1 - 1 for h in horizontal
        )
        if not closed:
            rules.append(
                {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0}
            )
    return rules


_WORD_CHAR = re.compile(r"[A-Za-z]")


def join_cell_lines(text: str) -> str:
    """A cell's wrapped lines as one: CJK wraps anywhere, so lines join without a space,
    except between two Latin words."""
    out = ""
    for line in text.replace("\t", " ").split("\n"):
        line = line.strip()
        if not line:
            continue
        if out and _WORD_CHAR.match(out[-1]) and _WORD_CHAR.match(line[0]):
            out += " "
        out += line
    return out


def page_texts(pages: list[str | PageLayout]) -> list[str]:
    """Each page's text, rows that break across pages joined back on the page they start on."""
    join_continued_rows(pages)
    return [page if isinstance(page, str) else _render(page) for page in pages]


def join_continued_rows(pages: list[str | PageLayout]) -> None:
    """A row broken by a page break goes on at the top of the next page's first table,
    without its number (its first cell empty), maybe under a repeated header row."""
    last_row: list[str] | None = None
    header: list[str] | None = None
    for page in pages:
        if not isinstance(page, PageLayout):
            last_row = header = None
            continue
        tables = [item for item in page.items if isinstance(item, list)]
        if tables and last_row is not None:
            rows = tables[0]
            if header is not None and rows and rows[0] == header:
                rows.pop(0)
            if rows and _continues(rows[0], last_row):
                for i, cell in enumerate(rows.pop(0)):
                    last_row[i] = join_cell_lines(last_row[i] + "\n" + cell)
        for rows in tables:
            if rows and rows[0] and rows[0][0] and not rows[0][0].isdigit():
                header = rows[0]
            if rows:
                last_row = rows[-1]
        page.items = [item for item in page.items if item != []]


def _continues(row: list[str], previous: list[str]) -> bool:
    return len(row) == len(previous) and not row[0] and any(row)


def _render(page: PageLayout) -> str:
    lines = []
    for item in page.items:
        if isinstance(item, str):
            lines.append(item)
        else:
            lines.extend("\t".join(row) for row in item)
    return "\n".join(lines) + "\n"
