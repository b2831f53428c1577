"""Evidence files attached to open-index answers (docs/index.md, "Evidence").

A file is accepted when its content is one of the allowed types — PDF, Word (DOCX), Excel
(XLSX), PNG or JPEG — *and* its name ends with that type's suffix (a PNG named ``.pdf`` is
refused, so is a program renamed ``.pdf``), it is not empty and it is at most
:data:`MAX_BYTES`. It is kept in the workspace under its organisation
(``DIR/evidence/<ORG>/<token>``) and found only through that organisation's scope; every
upload, removal and download is written to the access log.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ladder.app.access import Forbidden, NotFound, Scope
from ladder.store import Workspace
from ladder.store import evidence as kept
from ladder.store.evidence import EvidenceFile

MAX_BYTES = 10 * 1024 * 1024
"""The largest evidence file accepted (10 MB)."""
MAX_MB = MAX_BYTES // (1024 * 1024)

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}
SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".png": "png", ".jpg": "jpg",
            ".jpeg": "jpg"}  # fmt: skip
ACCEPT = ",".join(SUFFIXES)
TYPES_TEXT = "PDF, Word (.docx), Excel (.xlsx), PNG or JPEG"
_SAFE = re.compile(r"[^A-Za-z0-9 ._()-]+")

__all__ = [
    "ACCEPT",
    "MAX_BYTES",
    "MAX_MB",
    "EvidenceFile",
    "Refused",
    "check",
    "content_type",
]


class Refused(ValueError):
    """An evidence file that is not accepted (the message says why and what to do)."""


@dataclass(frozen=True)
class Accepted:
    filename: str
    media_type: str
    content: bytes


def content_type(content: bytes) -> str | None:
    """The type of ``content`` read from its bytes (pdf, docx, xlsx, png, jpg), else None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def safe_name(filename: str) -> str:
    """The file's own name (no folders), with only plain characters, at most 100 long."""
    base = Path(filename.replace("\\", "/")).name
    cleaned = _SAFE.sub("_", base).strip(" .") or "evidence"
    if len(cleaned) > 100:
        stem, suffix = Path(cleaned).stem, Path(cleaned).suffix
        cleaned = stem[: 100 - len(suffix)] + suffix
    return cleaned


def check(filename: str, content: bytes) -> Accepted:
    """The file accepted, or :class:`Refused` naming it and the reason."""
    name = safe_name(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise Refused(f"{name}: attach a {TYPES_TEXT} file")
    if not content:
        raise Refused(f"{name}: the file is empty")
    if len(content) > MAX_BYTES:
        raise Refused(f"{name}: the file is larger than {MAX_MB} MB")
    found = content_type(content)
    if found is None:
        raise Refused(f"{name}: the file's content is not a {TYPES_TEXT} file")
    if found != SUFFIXES[suffix]:
        raise Refused(
            f"{name}: the file's content is {found.upper()}, not what its name says "
            f"({suffix}): rename it or attach the right file"
        )
    return Accepted(name, MEDIA_TYPES[found], content)


def files(ws: Workspace, framework: str, org: str, period: int) -> dict[str, list[EvidenceFile]]:
    """The evidence files of ``org``'s submission, by question."""
    out: dict[str, list[EvidenceFile]] = {}
    with ws.session() as session:
        for f in kept.listed(session, framework, org, period):
            out.setdefault(f.question, []).append(f)
    return out


def attach(
    ws: Workspace,
    access: Scope,
    *,
    framework: str,
    period: int,
    question: str,
    accepted: Accepted,
) -> EvidenceFile:
    """Keep an accepted file as evidence of ``question`` (audited)."""
    if not access.may_upload:
        raise Forbidden(f"a {access.user.role} may not attach evidence")
    with ws.session.begin() as session:
        return kept.add(session, ws.root, framework=framework, org=access.org, period=period,
                        question=question, filename=accepted.filename,
                        media_type=accepted.media_type, content=accepted.content,
                        user=access.user.email)  # fmt: skip


def remove(ws: Workspace, access: Scope, token: str) -> None:
    """Remove an evidence file of ``access.org`` (audited; another's token: NotFound)."""
    if not access.may_upload:
        raise Forbidden(f"a {access.user.role} may not remove evidence")
    with ws.session.begin() as session:
        if not kept.remove(session, ws.root, access.org, token, access.user.email):
            raise NotFound(token)


def download(ws: Workspace, access: Scope, token: str) -> tuple[Path, EvidenceFile]:
    """The file ``token`` of ``access.org`` and its record (audited), or NotFound."""
    with ws.session.begin() as session:
        found = kept.get(session, access.org, token)
        if found is None:
            raise NotFound(token)
        path = kept.path_of(ws.root, found)
        if not path.is_file():
            raise NotFound(token)
        kept.downloaded(session, found, access.user.email)
    return path, found
