"""Evidence files are typed by their content: any bytes and any name give an accepted file or
a clear refusal (never another error), and a kept name has no folders in it."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ladder.app import evidence


def _zip(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in names:
            z.writestr(name, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xdb", "jpg"),
        (_zip("[Content_Types].xml", "word/document.xml"), "docx"),
        (_zip("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
        (_zip("word/document.xml"), None),  # no content types: not an Office file
        (_zip("[Content_Types].xml", "ppt/presentation.xml"), None),  # PowerPoint
        (b"PK\x03\x04broken", None),
        (b"GIF89a", None),
        (b"", None),
    ],
)
def test_content_type(content: bytes, kind: str | None) -> None:
    assert evidence.content_type(content) == kind


@given(name=st.text(max_size=300), content=st.binary(max_size=64))
def test_any_name_and_bytes_are_accepted_or_refused_clearly(name: str, content: bytes) -> None:
    try:
        accepted = evidence.check(name, content)
    except evidence.Refused as exc:
        assert str(exc)
    else:
        assert accepted.content == content
    safe = evidence.safe_name(name)
    assert safe and "/" not in safe and "\\" not in safe and len(safe) <= 100
    assert not safe.startswith(".") and safe not in (".", "..")


@given(
    prefix=st.sampled_from([b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"]),
    rest=st.binary(max_size=32),
    suffix=st.sampled_from([".pdf", ".png", ".jpg", ".jpeg"]),
)
def test_a_file_is_accepted_only_when_its_name_says_its_type(
    prefix: bytes, rest: bytes, suffix: str
) -> None:
    kind = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}[prefix]
    named = {".pdf": "pdf", ".png": "png", ".jpg": "jpg", ".jpeg": "jpg"}[suffix]
    if kind == named:
        assert evidence.check(f"f{suffix}", prefix + rest).media_type == evidence.MEDIA_TYPES[kind]
    else:
        with pytest.raises(evidence.Refused, match="not what its name says"):
            evidence.check(f"f{suffix}", prefix + rest)
