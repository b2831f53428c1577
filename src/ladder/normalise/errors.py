"""The one exception every normaliser raises for a value it cannot accept."""

from __future__ import annotations


class InvalidValue(ValueError):
    """A value that cannot be mapped to the data contract.

    ``reason`` says what is wrong; ``hint`` says what the user should do about it;
    ``code`` names the kind of problem in validation summaries.
    """

    def __init__(self, reason: str, hint: str, *, code: str = "invalid_value") -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        self.code = code
