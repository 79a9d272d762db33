"""Text PDFs (reportlab, CJK font from Debian) and scanned PDFs (rendered, noised, tilted)."""

from __future__ import annotations

import io
import random
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from tests.formats.source import Block

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
)
FONT_NAME = "WenQuanYiZenHei"


@cache
def cjk_font() -> str:
    """Register the CJK font with reportlab once; its Debian package is in .ci/apt-packages.txt."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in FONT_PATHS:
        if path.exists():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
            return FONT_NAME
    raise FileNotFoundError("no CJK TrueType font: apt-get install fonts-wqy-zenhei (see .ci/apt-packages.txt)")


def text_pdf(items: list[Block], *, title: str = "") -> bytes:
    """A born-digital report: wrapped CJK paragraphs, headings, `— n —` page numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    font = cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=15, leading=26, firstLineIndent=0, spaceBefore=6)

    def page_number(canvas, doc):
        canvas.setFont(font, 10)
        canvas.drawCentredString(A4[0] / 2, 36, f"— {doc.page} —")

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=72, rightMargin=72, topMargin=64, bottomMargin=64)
    story = [Paragraph(_escape(block.text), head if block.heading else body) for block in items]
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_pages(pdf_bytes: bytes, pages: list[int] | None = None, *, dpi: int = 150) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        indices = pages if pages is not None else range(len(pdf))
        return [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in indices]
    finally:
        pdf.close()


def scan(image: Image.Image, *, seed: int = 0, angle: float = 0.6, noise: float = 0.02) -> Image.Image:
    """What a scanner does to a page: a slight tilt, speckle noise, a little blur."""
    rng = random.Random(seed)
    tilted = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    pixels = tilted.load()
    width, height = tilted.size
    for _ in range(int(width * height * noise)):
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = rng.choice((0, 90, 180, 255))
    return tilted.filter(ImageFilter.GaussianBlur(0.5))


def scanned_pdf(pdf_bytes: bytes, pages: list[int] | None = None, *, dpi: int = 150, seed: int = 0) -> bytes:
    """Each page rendered, scanned, and embedded as a JPEG image with no text layer."""
    images = [scan(img, seed=seed + i) for i, img in enumerate(render_pages(pdf_bytes, pages, dpi=dpi))]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def encrypted_pdf(items: list[Block], *, password: str = "secret") -> bytes:
    """A PDF that cannot be opened without its user password."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, encrypt=StandardEncryption(password, canPrint=0))
    pdf.setFont(cjk_font(), 12)
    for row, block in enumerate(items[:10]):
        pdf.drawString(72, 760 - 20 * row, block.text[:30])
    pdf.save()
    return out.getvalue()


def merge_pdfs(*parts: bytes) -> bytes:
    """All pages of each part, in order, in one PDF."""
    merged = pdfium.PdfDocument.new()
    for part in parts:
        source = pdfium.PdfDocument(part)
        merged.import_pages(source)
        source.close()
    out = io.BytesIO()
    merged.save(out)
    merged.close()
    return out.getvalue()
