"""Word files built with python-docx: headings, paragraphs, and a table in the flow."""

from __future__ import annotations

import io

from tests.formats.source import Block


def docx_bytes(items: list[Block], *, table: list[list[str]] | None = None, table_after: int = 3) -> bytes:
    """The blocks as paragraphs (headings in a heading style); `table` goes after block `table_after`."""
    import docx

    document = docx.Document()
    for index, block in enumerate(items):
        if block.heading:
            document.add_heading(block.text, level=2)
        else:
            document.add_paragraph(block.text)
        if table and index == table_after:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for row, values in zip(grid.rows, table):
                for cell, value in zip(row.cells, values):
                    cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
