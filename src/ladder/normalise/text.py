"""Text helpers shared by the normalisers: a forgiving comparison key for labels."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def key(value: str) -> str:
    """Lower-case, accent-free, punctuation-free form used to match labels and headers.

    ``"White – British"``, ``"white-british"`` and ``" WHITE  british "`` all give
    ``"white british"``; ``&`` reads as ``and``.
    """
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("&", " and ")
    return _NON_ALNUM.sub(" ", text).strip()


def clean(value: str) -> str:
    """Strip stray whitespace (including non-breaking spaces) and collapse inner runs."""
    return " ".join(value.replace("\u00a0", " ").split())
