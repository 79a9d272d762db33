"""Text from page images through RapidOCR (PP-OCR models shipped inside the rapidocr wheel).

The engine is loaded once per process, on first use: a worker that never meets a scan never
pays for it. Every model path is given explicitly, so rapidocr never reaches for its
download code (it fetches a model whenever it resolves one by name instead of by path).
"""

from __future__ import annotations

import threading
from importlib.resources import files
from pathlib import Path

import numpy as np
from PIL import Image

from zhibiao.readers.layout import layout_lines

MODEL_FILES = {
    "Det.model_path": "PP-OCRv6_det_small.onnx",
    "Cls.model_path": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    "Rec.model_path": "PP-OCRv6_rec_small.onnx",
}

# Pages reach OCR upright (rendered PDF pages, EXIF-turned photos); the 180-degree line
# classifier then only adds time and, now and then, turns a good line upside down and loses it.
ENGINE_PARAMS = {"Global.use_cls": False}

_engine = None
_engine_lock = threading.Lock()


class OcrUnavailable(RuntimeError):
    """The deployment lacks the OCR models: an operator must act, not the uploader."""


def packaged_models() -> dict[str, str]:
    root = Path(str(files("rapidocr") / "models"))
    params = {key: str(root / name) for key, name in MODEL_FILES.items()}
    missing = [path for path in params.values() if not Path(path).is_file()]
    if missing:
        raise OcrUnavailable(f"OCR models missing from the rapidocr package: {', '.join(missing)}")
    return params


def engine():
    """The process's one RapidOCR engine (thread-safe lazy load)."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                from rapidocr import RapidOCR

                params = {"Global.log_level": "warning", **ENGINE_PARAMS, **packaged_models()}
                _engine = RapidOCR(params=params)
    return _engine


def ocr_image(image: Image.Image) -> str:
    """Recognised text of one page image, one layout line per line."""
    result = engine()(image)
    boxes, texts = getattr(result, "boxes", None), getattr(result, "txts", None)
    if boxes is None or texts is None or len(texts) == 0:
        return ""
    return "\n".join(layout_lines(np.asarray(boxes, dtype=float), list(texts)))
