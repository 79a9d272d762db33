"""PDF text layers through pypdfium2."""

from __future__ import annotations

import pypdfium2 as pdfium

from zhibiao.errors import CorruptDocument
from zhibiao.readers.base import Pages


class PdfReader:
    media_types = ("application/pdf",)

    def accepts(self, data: bytes, name: str) -> bool:
        return data[:1024].lstrip().startswith(b"%PDF-")

    def read(self, data: bytes, name: str) -> Pages:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise CorruptDocument(f"the PDF cannot be opened ({exc}); is it damaged or password-protected?") from exc
        try:
            pages = []
            for page in pdf:
                textpage = page.get_textpage()
                pages.append(textpage.get_text_bounded())
                textpage.close()
                page.close()
            return Pages(pages=pages, media_type="application/pdf")
        finally:
            pdf.close()
