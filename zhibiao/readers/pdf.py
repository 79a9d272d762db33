"""PDF: the text layer of each page through pypdfium2; pages without a usable one go to OCR,
pages drawn as ruled tables to pdfplumber (pdf_tables) so their rows keep their columns."""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from zhibiao.plumbing.errors import CorruptDocument, DocumentTooLarge
from zhibiao.readers.base import DEFAULT_LIMITS, Limits, Pages
from zhibiao.readers.pdf_tables import PageLayout, TableReader, page_texts
from zhibiao.readers.textlayer import may_be_scan, needs_ocr

# Pages are rendered for OCR so the long side is at most what the detector works at anyway
# (rapidocr scales larger images down to 2000 px), and a scan no finer than it was made:
# more pixels only cost time.
OCR_LONG_SIDE_PX = 2000
OCR_MAX_DPI = 300
OCR_MIN_DPI = 150


class PdfReader:
    media_types = ("application/pdf",)

    def accepts(self, data: bytes, name: str) -> bool:
        # The header may follow some junk bytes; readers such as Acrobat look in the first 1 KiB.
        return b"%PDF-" in data[:1024]

    def read(self, data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Pages:
        pdf = open_pdf(data)
        tables = TableReader(data)
        try:
            count = len(pdf)
            if count == 0:
                raise CorruptDocument(
                    "the PDF has no pages; export it again from its source",
                    zh="PDF 没有页面：请从原始来源重新导出后上传",
                )
            if count > limits.max_pages:
                raise DocumentTooLarge(
                    f"the PDF has {count} pages, more than the {limits.max_pages} we read; split it and upload the parts"
                )
            pages: list[str | PageLayout] = []
            from_ocr: list[int] = []
            for index in range(count):
                found = tables.found
                page, ocr = read_page(pdf, index, limits, tables)
                pages.append(page)
                from_ocr.append(ocr)
                if tables.found and not found:
                    recheck_for_tables(pdf, pages, from_ocr, tables)
            return Pages(pages=page_texts(pages), media_type="application/pdf", ocr_pages=sum(from_ocr))
        finally:
            tables.close()
            pdf.close()


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise CorruptDocument(
                "the PDF is password-protected; remove the password (or print it to a new PDF) and upload it again",
                zh="PDF 设有密码：请去除密码（或打印为新的 PDF）后上传",
            ) from exc
        raise CorruptDocument(
            f"the PDF is damaged and cannot be opened ({exc}); export it again from its source and upload the new file"
        ) from exc


def read_page(
    pdf: pdfium.PdfDocument, index: int, limits: Limits, tables: TableReader | None = None
) -> tuple[str | PageLayout, int]:
    """The page's text (its tables and text when it is drawn as ruled tables), and 1 if it came from OCR."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(f"page {index + 1} of the PDF is damaged and cannot be read ({exc})") from exc
    try:
        textpage = page.get_textpage()
        try:
            # PDFium ends lines with CRLF; every reader hands over LF.
            text = textpage.get_text_bounded().replace("\r\n", "\n")
        finally:
            textpage.close()
        if not may_be_scan(text):
            layout = tables.read(page, index) if tables is not None else None
            return (text, 0) if layout is None else (layout, 0)
        images = image_objects(page)
        if not needs_ocr(text, image_coverage(page, images)):
            return text, 0
        check_images(images, index, limits)
        return ocr_page(page, index, limits, native_scale(images)), 1
    finally:
        page.close()


def recheck_for_tables(pdf: pdfium.PdfDocument, pages: list, from_ocr: list[int], tables: TableReader) -> None:
    """The first table found: the text pages before it get the full look the sample spared them."""
    for index, page in enumerate(pages[:-1]):
        if isinstance(page, str) and not from_ocr[index]:
            pdf_page = pdf[index]
            try:
                layout = tables.read(pdf_page, index, thorough=True)
            finally:
                pdf_page.close()
            if layout is not None:
                pages[index] = layout


def image_objects(page: pdfium.PdfPage) -> list:
    return list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))


def image_coverage(page: pdfium.PdfPage, images: list) -> float:
    width, height = page.get_size()
    if not images or width <= 0 or height <= 0:
        return 0.0
    covered = 0.0
    for image in images:
        left, bottom, right, top = image.get_bounds()
        covered += max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0))
    return min(covered / (width * height), 1.0)


def check_images(images: list, index: int, limits: Limits) -> None:
    """Refuse before decoding: a crafted image can claim gigapixels in a few bytes."""
    for image in images:
        try:
            width, height = image.get_px_size()
        except pdfium.PdfiumError:
            continue
        if width * height > limits.max_image_pixels:
            raise DocumentTooLarge(
                f"page {index + 1} holds a {width}x{height} image ({width * height / 1e6:.0f} megapixels), "
                f"more than the {limits.max_image_pixels / 1e6:.0f} we read; scan it at a lower resolution"
            )


def native_scale(images: list) -> float | None:
    """Pixels per point of the sharpest picture on the page: rendering finer only interpolates."""
    scales = []
    for image in images:
        try:
            pixels, _ = image.get_px_size()
        except pdfium.PdfiumError:
            continue
        left, _, right, _ = image.get_bounds()
        if right - left > 1:
            scales.append(pixels / (right - left))
    return max(scales, default=None)


def ocr_page(page: pdfium.PdfPage, index: int, limits: Limits, native: float | None = None) -> str:
    from zhibiao.readers.ocr import ocr_image

    width, height = page.get_size()
    scale = min(OCR_MAX_DPI / 72, OCR_LONG_SIDE_PX / max(width, height, 1.0))
    if native is not None:
        scale = min(scale, max(native, OCR_MIN_DPI / 72))
    if width * height * scale * scale > limits.max_image_pixels:
        scale = (limits.max_image_pixels / (width * height)) ** 0.5
    try:
        bitmap = page.render(scale=scale, grayscale=True)
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(f"page {index + 1} of the PDF cannot be rendered for OCR ({exc})") from exc
    try:
        return ocr_image(bitmap.to_pil())
    finally:
        bitmap.close()
