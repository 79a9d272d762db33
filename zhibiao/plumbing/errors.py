"""One error tree, mapped at the edges (broker: ack/dead-letter/retry; HTTP: 4xx/503).

Permanent errors come from the input itself: retrying cannot help, the document
fails with the message as its reason. Transient errors come from our surroundings
(broker, database, bucket away): retry later, never dead-letter for them.
"""


def failure_reason(zh: str, detail: str) -> str:
    """A document's `error`: in Chinese what is wrong and what to do, then the technical detail."""
    return f"{zh}（{detail}）"


class ZhibiaoError(Exception):
    """Base of every error the project raises on purpose."""


class PermanentError(ZhibiaoError):
    """Bad input: the document fails with this reason; a person must act.

    The people who read the reason read Chinese: `zh` says in Chinese what is wrong and what
    to do; the English message keeps the technical detail (page, size, limit, parser words)."""

    zh = "文件无法处理：请检查文件后重新上传"

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(message)
        if zh:
            self.zh = zh

    def reason(self) -> str:
        return failure_reason(self.zh, str(self))


class UnsupportedFormat(PermanentError):
    zh = "不支持的文件格式：请上传 PDF、Word（DOCX）、网页（HTML）、纯文本或图片（PNG、JPEG、TIFF）"


class CorruptDocument(PermanentError):
    zh = "文件已损坏，无法打开：请从原始来源重新导出后上传"


class DocumentTooLarge(PermanentError):
    zh = "文件超出处理上限：请拆分文件或降低扫描分辨率后上传"


class TransientError(ZhibiaoError):
    """Something we depend on is away; the same work may succeed later."""


class MessageTooLarge(PermanentError):
    """A result too big for the broker: retrying produces the same bytes again."""

    zh = "提取结果过大，无法传递：请拆分文件后上传"
