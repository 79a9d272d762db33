"""Word (DOCX): paragraphs and tables in document order; a table row is its cells joined by tabs."""

from __future__ import annotations

import io
import zipfile

from zhibiao.plumbing.errors import CorruptDocument
from zhibiao.readers.base import DEFAULT_LIMITS, Limits, Pages

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


class DocxReader:
    media_types = (MEDIA_TYPE,)

    def accepts(self, data: bytes, name: str) -> bool:
        return is_docx(data)

    def read(self, data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Pages:
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # python-docx raises KeyError, lxml and zip errors for damaged files
            raise CorruptDocument(
                f"the Word file is damaged and cannot be opened ({type(exc).__name__}: {exc}); save it again and upload it"
            ) from exc
        return Pages(pages=["\n".join(block_lines(document.element.body))], media_type=MEDIA_TYPE)


def block_lines(container) -> list[str]:
    """Lines of the paragraphs and tables directly in `container`, content controls unwrapped."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, None).text)
        elif child.tag == qn("w:tbl"):
            lines.extend(table_lines(Table(child, None)))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                lines.extend(block_lines(content))
    return lines


def table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], []
        for cell in row.cells:
            # A merged cell shows up once per grid column it spans: keep it once.
            if any(cell._tc is tc for tc in seen):
                continue
            seen.append(cell._tc)
            nested = block_lines(cell._tc)
            cells.append(" ".join(part.strip() for part in nested if part.strip()))
        lines.append("\t".join(cells))
    return lines
