"""The one error every reader and writer raises, so callers catch a single type."""

from __future__ import annotations


class FormatError(ValueError):
    """A file (or a question list) that a format cannot read or write.

    ``line`` is the 1-based line where reading stopped (``None`` for JSON shape errors and for
    writing), ``expected`` names briefly what the reader wanted there, and ``message`` is the
    whole explanation without the line prefix. ``str(error)`` reads
    ``line 12: expected '}' to close the answer block opened on line 9``.
    """

    def __init__(self, message: str, *, line: int | None = None, expected: str = "",
                 path: str = "") -> None:
        self.message = message
        self.line = line
        self.expected = expected
        self.path = path
        """For JSON: where in the document, like ``questions[3].choices``."""
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message

    def __reduce__(self):  # keep pickling (multiprocessing, caches) working with keyword args
        return (_rebuild, (self.message, self.line, self.expected, self.path))


def _rebuild(message: str, line: int | None, expected: str, path: str) -> FormatError:
    return FormatError(message, line=line, expected=expected, path=path)
