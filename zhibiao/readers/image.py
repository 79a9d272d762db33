"""Photos and scans of pages (PNG, JPEG, TIFF), read by OCR; a multi-page TIFF is many pages."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from zhibiao.plumbing.errors import CorruptDocument, DocumentTooLarge
from zhibiao.readers.base import DEFAULT_LIMITS, Limits, Pages

_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
}


def image_type(data: bytes) -> str | None:
    for magic, media in _MAGIC.items():
        if data.startswith(magic):
            return media
    return None


class ImageReader:
    media_types = tuple(sorted(set(_MAGIC.values())))

    def accepts(self, data: bytes, name: str) -> bool:
        return image_type(data) is not None

    def read(self, data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Pages:
        from zhibiao.readers.ocr import ocr_image

        media = image_type(data) or "image/png"
        try:
            with Image.open(io.BytesIO(data)) as image:
                frames = getattr(image, "n_frames", 1)
                if frames > limits.max_pages:
                    raise DocumentTooLarge(
                        f"the image has {frames} pages, more than the {limits.max_pages} we read; split it"
                    )
                texts = []
                for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                    check_size(frame.size, number, limits)
                    texts.append(ocr_image(upright(frame)))
        except Image.DecompressionBombError as exc:
            raise DocumentTooLarge(f"the image is too large to decode safely ({exc})") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            # PIL reports truncated and malformed files through these.
            raise CorruptDocument(f"the {media} image is damaged and cannot be decoded ({exc})") from exc
        return Pages(pages=texts, media_type=media, ocr_pages=len(texts))


def check_size(size: tuple[int, int], number: int, limits: Limits) -> None:
    width, height = size
    if width * height > limits.max_image_pixels:
        raise DocumentTooLarge(
            f"image {number} is {width}x{height} ({width * height / 1e6:.0f} megapixels), more than the "
            f"{limits.max_image_pixels / 1e6:.0f} we read; scan or photograph it at a lower resolution"
        )


def upright(frame: Image.Image) -> Image.Image:
    """Phones store photos sideways with an EXIF turn; OCR wants the page upright, in L or RGB."""
    image = ImageOps.exif_transpose(frame)
    return image.convert("L" if image.mode in ("1", "L", "I;16", "I", "F") else "RGB")
