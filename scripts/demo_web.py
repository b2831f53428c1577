"""Ready the demo workspace for the web service (`make demo`): one demo login per role, a
socio-economic background staff survey of R1H with synthetic answers, and a draft of R1H's
report. Prints the logins (demo passwords: demo only, never on a real workspace)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from ladder.app import access, accounts, dashboard, publishing, surveys
from ladder.app.workspace import open_workspace

ORG = "R1H"
PASSWORD = "demo-only-password"
LOGINS = (
    ("analyst", f"analyst@{ORG.lower()}.demo.nhs.uk", ORG),
    ("viewer", f"viewer@{ORG.lower()}.demo.nhs.uk", ORG),
    ("assessor", f"assessor@{ORG.lower()}.demo.nhs.uk", ORG),
    ("assessor", "assessor@index.demo.nhs.uk", None),
    ("admin", "admin@demo.nhs.uk", None),
)
"""(role, e-mail, organisation): an assessor with no organisation is an index assessor, who
reviews every organisation's index submissions (docs/index.md) and sees no staff data."""
ANSWERS = 160


def _answers(rng: random.Random) -> dict[str, str]:
    occupation = rng.choices(range(1, 10), weights=(22, 14, 12, 9, 20, 3, 8, 7, 5))[0]
    band = rng.choices(("Band 3", "Band 5", "Band 6", "Band 7", "Band 8a", ""), (3, 5, 4, 3, 1, 1))[
        0
    ]
    return {
        "parent_occupation": str(occupation),
        "school_type": rng.choices(
            ("state", "independent", "outside_uk", "dont_know"), (80, 8, 10, 2)
        )[0],
        "free_school_meals": rng.choices(
            ("yes", "no", "not_applicable", "dont_know"), (18, 65, 12, 5)
        )[0],
        "parent_qualification": rng.choices(
            ("degree", "below_degree", "no_formal", "dont_know"), (30, 45, 15, 10)
        )[0],
        "ethnicity": rng.choices(
            ("White", "Asian", "Black", "Mixed", "Other", ""), (45, 25, 15, 5, 5, 5)
        )[0],
        "disability": rng.choices(("Yes", "No", ""), (8, 85, 7))[0],
        "pay_band": band,
    }


def main(folder: Path) -> None:
    rng = random.Random(2024)
    with open_workspace(folder) as ws:
        for role, email, org in LOGINS:
            accounts.add_user(ws, email, PASSWORD, role, org)
        analyst = accounts.token_user(ws, accounts.create_token(ws, LOGINS[0][1]))
        assert analyst is not None
        scope = access.scope(ws, analyst, ORG)
        survey = surveys.open_survey(ws, scope, "Socio-economic background of our staff (demo)")
        for _ in range(ANSWERS):
            surveys.answer(ws, survey.token, _answers(rng))
        periods = dashboard.dashboard(ws, ORG).periods
        if periods:
            publishing.prepare_draft(ws, scope, periods[0])  # the latest
    print()
    print("Demo logins (demo passwords, for this demo only):")
    for role, email, org in LOGINS:
        where = (
            f"  ({org})" if org else ("  (index: every organisation)" if role == "assessor" else "")
        )
        print(f"  {role:9} {email:34} password: {PASSWORD}{where}")
    print(f"Staff survey link (no account): http://127.0.0.1:8000{survey.link}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
