"""Text from page images through RapidOCR (PP-OCR models shipped inside the rapidocr wheel).

The engine is loaded once per process, on first use: a worker that never meets a scan never
pays for it. Every model path is given explicitly, so rapidocr never reaches for its
download code (it fetches a model whenever it resolves one by name instead of by path).
"""

from __future__ import annotations

import ctypes
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
# The detector's input is capped at 960 px on the long side: on rendered and scanned report
# pages this halves the time and a third of the memory of rapidocr's default (short side at
# least 736 px, so a whole A4 page at full size) and reads no worse (bench/bench_ocr.py).
# One onnxruntime thread per engine: extract scales by running more worker processes, and
# onnxruntime's default of a thread per core makes two workers on two cores fight (4 pages:
# 15.1 s with the default, 10.1 s with one thread, even for a lone worker).
# Lines are recognised one at a time: in a batch every line is padded to the widest, and the
# recogniser's working memory grows with that width times the batch; rapidocr's batch of 6
# peaked 820 MiB on three scanned pages where one line at a time peaks 384 MiB, and runs 14 %
# faster (no padding to compute).
ENGINE_PARAMS = {
    "Global.use_cls": False,
    "Det.limit_type": "max",
    "Det.limit_side_len": 960,
    "Rec.rec_batch_num": 1,
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}

_engine = None
_engine_lock = threading.Lock()
_call_lock = threading.Lock()


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


def run(image: Image.Image, *, detect: bool):
    """One engine call. rapidocr keeps per-call switches as the engine's new defaults, so every
    call names them all, under a lock shared by the process's threads."""
    with _call_lock:
        return engine()(image, use_det=detect, use_cls=False, use_rec=True)


def ocr_image(image: Image.Image) -> str:
    """Recognised text of one page image, one layout line per line."""
    result = run(image, detect=True)
    boxes, texts = getattr(result, "boxes", None), getattr(result, "txts", None)
    if boxes is None or texts is None or len(texts) == 0:
        return ""
    boxes = np.asarray(boxes, dtype=float)
    gray = np.asarray(image.convert("L"))
    texts = [recover_line_start(gray, boxes, i, text) for i, text in enumerate(texts)]
    release_memory()
    return "\n".join(layout_lines(boxes, texts))


def release_memory() -> None:
    """Hand freed heap back to the system after each page.

    Each page leaves onnxruntime buffers of new shapes behind; glibc keeps the freed memory,
    and a 30-page scan otherwise ends near 1 GB of RSS instead of about 0.7 (bench_ocr.py rss).
    """
    if _libc is not None:
        _libc.malloc_trim(0)


def _load_libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (musl, macOS): nothing to trim
        return None


_libc = _load_libc()


# The detector tends to leave out a thin glyph standing apart at the start of a line, such
# as the 一、 of a heading 一、2021年工作回顾; the section numbering hangs on it. When ink sits
# just left of a line box and no other box claims it, the widened line is read again.
PROBE_HEIGHTS = 3.0
INK = 128
MIN_RUN = 0.25  # of the line height: a stroke, not scanner speckle
MAX_GAIN = 4


def recover_line_start(gray: np.ndarray, boxes: np.ndarray, index: int, text: str) -> str:
    box = boxes[index]
    x0, y0 = box[:, 0].min(), box[:, 1].min()
    x1, y1 = box[:, 0].max(), box[:, 1].max()
    height = y1 - y0
    left = max(0, int(x0 - PROBE_HEIGHTS * height))
    top, bottom, right = max(0, int(y0)), min(gray.shape[0], int(y1) + 1), int(x0) - 1
    if right - left < height * MIN_RUN or bottom <= top:
        return text
    for other, corners in enumerate(boxes):
        if other != index and corners[:, 0].max() > left and corners[:, 0].min() < right:
            overlap = min(corners[:, 1].max(), bottom) - max(corners[:, 1].min(), top)
            if overlap > 0.5 * height:
                return text
    inked = ((gray[top:bottom, left:right] < INK).sum(axis=0) >= 2).astype(np.int8)
    start = ink_run_start(inked, int(MIN_RUN * height))
    if start is None:
        return text
    pad = int(0.3 * height)
    crop = gray[max(0, top - pad) : bottom + pad, max(0, left + start - pad) : int(x1) + pad]
    widened = "".join(getattr(run(Image.fromarray(crop), detect=False), "txts", None) or ())
    if widened.endswith(text) and 0 < len(widened) - len(text) <= MAX_GAIN:
        return widened
    return text


def ink_run_start(columns: np.ndarray, run: int) -> int | None:
    """Index of the first column of the leftmost run of `run` inked columns."""
    count = 0
    for i, inked in enumerate(columns):
        count = count + 1 if inked else 0
        if count >= max(run, 2):
            return i - count + 1
    return None
