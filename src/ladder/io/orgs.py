"""Resolve what an organisation column holds to an ODS code, through the shipped trust list.

Exports name the employer in several ways: the ODS code (``R1H``), the trust's name
(``Barts Health NHS Trust``), the code then the name (``R1H Barts Health NHS Trust``) or the
name then the code in brackets (``Barts Health NHS Trust (R1H)``). All four resolve here.
"""

from __future__ import annotations

import re
from functools import cache

from ladder import reference
from ladder.normalise.text import key

_ODS = re.compile(r"^[A-Za-z0-9]{3,5}$")
_CODE_FIRST = re.compile(r"^([A-Za-z0-9]{3,5})\s*[-–:]?\s+(.+)$")
_CODE_LAST = re.compile(r"^(.+?)\s*\(\s*([A-Za-z0-9]{3,5})\s*\)$")
_SUFFIXES = (" nhs foundation trust", " nhs trust", " foundation trust", " trust")


def _short(name_key: str) -> str:
    text = name_key.removeprefix("the ")
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            return text.removesuffix(suffix)
    return text


@cache
def _names() -> dict[str, str]:
    """key(name) and key(short name) → ODS code; a short name shared by two trusts is left out."""
    pairs = reference.trusts().select("org_code", "name").iter_rows()
    full: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    for code, name in pairs:
        full[key(name)] = code
        short.setdefault(_short(key(name)), set()).add(code)
    unique = {k: next(iter(codes)) for k, codes in short.items() if len(codes) == 1 and k}
    return {**unique, **full}


@cache
def _codes() -> frozenset[str]:
    return frozenset(reference.trusts().get_column("org_code").to_list())


def _by_name(text: str) -> str | None:
    name = key(text)
    return _names().get(name) or _names().get(_short(name))


def _with_code(code: str, name: str) -> str | None:
    """``code`` when it is a known trust and ``name`` does not name another trust."""
    code = code.upper()
    if code not in _codes():
        return None
    named = _by_name(name)
    return code if named is None or named == code else None


def resolve_org(raw: str) -> str | None:
    """The ODS code ``raw`` stands for, or None when it cannot be resolved.

    A value shaped like an ODS code is returned upper-cased whether or not it is in the
    trust list (organisations other than trusts have codes too).
    """
    text = " ".join(raw.split())
    if _ODS.match(text):
        return text.upper()
    named = _by_name(text)
    if named is not None:
        return named
    first = _CODE_FIRST.match(text)
    if first is not None:
        found = _with_code(first.group(1), first.group(2))
        if found is not None:
            return found
    last = _CODE_LAST.match(text)
    if last is not None:
        return _with_code(last.group(2), last.group(1))
    return None
