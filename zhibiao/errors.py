"""One error tree, mapped at the edges (broker: ack/dead-letter/retry; HTTP: 4xx/503).

Permanent errors come from the input itself: retrying cannot help, the document
fails with the message as its reason. Transient errors come from our surroundings
(broker, database, bucket away): retry later, never dead-letter for them.
"""


class ZhibiaoError(Exception):
    """Base of every error the project raises on purpose."""


class PermanentError(ZhibiaoError):
    """Bad input: the document fails with this reason; a person must act."""


class UnsupportedFormat(PermanentError):
    pass


class CorruptDocument(PermanentError):
    pass


class DocumentTooLarge(PermanentError):
    pass


class TransientError(ZhibiaoError):
    """Something we depend on is away; the same work may succeed later."""
