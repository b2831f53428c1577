"""Ethnic category: NHS Data Dictionary code or label → code (A–S, Z) or None (not known)."""

from __future__ import annotations

from ladder.codes import ETHNIC_CATEGORIES
from ladder.normalise.errors import InvalidValue
from ladder.normalise.text import key

_NOT_KNOWN = {"99", "not known", "unknown", "unspecified", "undefined", "null", "na", "n a", "nk"}
_NOT_SUBCODES = {"NO", "NA", "NK"}

# Labels seen in ESR, recruitment systems and census-style forms, by key().
_EXTRA_LABELS: dict[str, str] = {
    "white british": "A",
    "british": "A",
    "white english": "A",
    "white english welsh scottish northern irish or british": "A",
    "white irish": "B",
    "irish": "B",
    "white other": "C",
    "white any other": "C",
    "any other white background": "C",
    "white gypsy or irish traveller": "C",
    "gypsy or irish traveller": "C",
    "white roma": "C",
    "roma": "C",
    "white and black caribbean": "D",
    "mixed white and black caribbean": "D",
    "white and black african": "E",
    "mixed white and black african": "E",
    "white and asian": "F",
    "mixed white and asian": "F",
    "any other mixed background": "G",
    "mixed other": "G",
    "other mixed": "G",
    "any other mixed or multiple ethnic background": "G",
    "indian": "H",
    "asian indian": "H",
    "pakistani": "J",
    "asian pakistani": "J",
    "bangladeshi": "K",
    "asian bangladeshi": "K",
    "any other asian background": "L",
    "asian other": "L",
    "other asian": "L",
    "caribbean": "M",
    "black caribbean": "M",
    "african": "N",
    "black african": "N",
    "any other black background": "P",
    "black other": "P",
    "other black": "P",
    "any other black african or caribbean background": "P",
    "chinese": "R",
    "asian chinese": "R",
    "other chinese": "R",
    "any other ethnic group": "S",
    "other": "S",
    "other ethnic group": "S",
    "arab": "S",
    "other arab": "S",
    "not stated": "Z",
    "not declared": "Z",
    "prefer not to say": "Z",
    "i do not wish to disclose my ethnic origin": "Z",
    "declined": "Z",
}

_LABELS: dict[str, str] = {key(label): code for code, label in ETHNIC_CATEGORIES.items()}
_LABELS.update(_EXTRA_LABELS)


def _label_code(text: str) -> str | None:
    """Match a label, then the label with trailing ' - sub-category' parts removed."""
    parts = [p for p in text.replace("–", "-").replace("—", "-").split(" - ")]
    for end in range(len(parts), 0, -1):
        found = _LABELS.get(key(" - ".join(parts[:end])))
        if found is not None:
            return found
    # ESR sometimes writes "A White - British" or "C3 White - Other".
    first, _, rest = text.partition(" ")
    if rest and first.upper()[:1] in ETHNIC_CATEGORIES and len(first) <= 2:
        via_label = _label_code(rest)
        if via_label is not None and via_label == first.upper()[:1]:
            return via_label
    return None


def normalise_ethnic_category(raw: str) -> str | None:
    """Map a code ("A", "a", ESR sub-code "C3"/"LH") or a label to the NHS code.

    Returns None for "not known" (99, Unknown, Unspecified). Raises InvalidValue otherwise.
    """
    text = raw.strip()
    k = key(text)
    if k in _NOT_KNOWN or not k:
        return None
    upper = text.upper()
    if len(upper) == 1 and upper in ETHNIC_CATEGORIES:
        return upper
    # ESR national sub-codes, written in capitals: a main code letter followed by one letter
    # or digit (e.g. C3, LH). Words such as "No" are not codes.
    if (
        len(text) == 2
        and text.isupper() | text[1].isdigit()
        and text[0].upper() in ETHNIC_CATEGORIES
        and text[0].upper() != "Z"
        and text.isalnum()
        and text not in _NOT_SUBCODES
    ):
        return text[0].upper()
    found = _label_code(text)
    if found is not None:
        return found
    raise InvalidValue(
        "not an NHS ethnic category",
        "use a Data Dictionary code A-S or Z (e.g. 'A'), or a label such as "
        "'White - British'; write 99 or leave blank when not known",
    )
