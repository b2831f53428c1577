"""The survey and report tables (migration 0005) on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from ladder.app import access, accounts, publishing, surveys
from ladder.app.errors import UsageError
from ladder.store import Workspace
from tests.store.conftest import staff_frame


def test_survey_and_reports_on_either_database(
    tmp_path: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace.init(tmp_path / "ws", database_url) as ws:
        path = tmp_path / "staff.csv"
        staff_frame(12, org="R1H").write_csv(path)
        assert ws.import_file("staff", path, "R1H", 2024).stored
        accounts.add_user(ws, "a@example.nhs.uk", "correct horse battery staple", "analyst", "R1H")
        user = accounts.token_user(ws, accounts.create_token(ws, "a@example.nhs.uk"))
        assert user is not None
        scope = access.scope(ws, user, "R1H")

        survey = surveys.open_survey(ws, scope, "")
        for occupation in ("1",) * 10 + ("9",) * 2:
            surveys.answer(
                ws,
                survey.token,
                {
                    "parent_occupation": occupation,
                    "school_type": "state",
                    "free_school_meals": "no",
                    "parent_qualification": "degree",
                },
            )
        table = surveys.results(ws, scope, survey.id).tables["parent_occupation"]
        assert table.shown(None, "non_response") is None  # 2 people
        assert table.shown(None, "professional") is None  # else 12 - 10 gives the 2 away
        assert table.shown(None, "intermediate") == 0
        assert surveys.surveys(ws, scope)[0].responses == 12
        with pytest.raises(UsageError):
            surveys.set_anonymous(ws, scope, survey.id, False)

        with pytest.raises(UsageError, match="no results are stored"):
            publishing.prepare_draft(ws, scope, 2024)
        with pytest.raises(UsageError, match="prepare a draft"):
            publishing.publish(ws, scope, 2024)
        assert publishing.reports(ws, scope) == []
