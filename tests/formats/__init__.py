"""Builders of format variants of the corpus samples, made at test time (no binaries committed).

Each takes the blocks of a sample (`source.blocks`) and returns the bytes of a file in one
format: a text PDF, a scanned PDF, page images, a DOCX, a portal HTML page.
"""

from tests.formats.docx import docx_bytes
from tests.formats.html import CHROME, portal_page
from tests.formats.measure import cer, comparable
from tests.formats.pdf import encrypted_pdf, merge_pdfs, png_bytes, render_pages, scan, scanned_pdf, text_pdf
from tests.formats.source import SAMPLES, Block, blocks, plain_text, sample_bytes

__all__ = [
    "CHROME",
    "SAMPLES",
    "Block",
    "blocks",
    "cer",
    "comparable",
    "docx_bytes",
    "encrypted_pdf",
    "merge_pdfs",
    "plain_text",
    "png_bytes",
    "portal_page",
    "render_pages",
    "sample_bytes",
    "scan",
    "scanned_pdf",
    "text_pdf",
]
