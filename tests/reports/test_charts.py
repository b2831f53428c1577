"""Accessible charts: SVG, alt text, table equivalent; suppressed figures never plotted."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest

from ladder.metrics.formatting import number
from ladder.metrics.results import Measure, Result, Unit
from ladder.reports import charts
from ladder.reports.charts import (
    Figure,
    likelihood_chart,
    quartile_chart,
    representation_chart,
    seb_band_chart,
    xmr_chart,
)

ORG = "R1H"
PERIOD = 2024


def share(id: str, group: str, value: float, breakdown: dict[str, str], org: str = ORG) -> Result:
    return Result(
        id=id,
        title="Representation by pay band: ethnicity",
        org=org,
        period=PERIOD,
        measure=Measure.SHARE,
        unit=Unit.PERCENT,
        value=value,
        method="test",
        group=group,
        breakdown=breakdown,
        numerator=round(value * 10),
        denominator=1000,
    )


def likelihood(
    id: str, group: str, value: float, lo: float, hi: float, period: int = PERIOD
) -> Result:
    return Result(
        id=id,
        title=f"Relative likelihood {id}",
        org=ORG,
        period=period,
        measure=Measure.RELATIVE_LIKELIHOOD,
        unit=Unit.RATIO,
        value=value,
        method="test",
        group=group,
        numerator=100,
        denominator=400,
        reference_numerator=50,
        reference_denominator=300,
        ci_lower=lo,
        ci_upper=hi,
    )


@pytest.fixture
def specs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Every Vega-Lite spec rendered during the test (still rendered for real)."""
    seen: list[dict[str, Any]] = []
    render = charts._render

    def capture(spec: dict[str, Any]) -> str:
        seen.append(spec)
        return render(spec)

    monkeypatch.setattr(charts, "_render", capture)
    yield seen


def inline_values(spec: Any) -> list[dict[str, Any]]:
    """All inline data rows anywhere in a spec."""
    found: list[dict[str, Any]] = []
    if isinstance(spec, dict):
        data = spec.get("data")
        if isinstance(data, dict) and isinstance(data.get("values"), list):
            found.extend(data["values"])
        for key, value in spec.items():
            if key != "data":
                found.extend(inline_values(value))
        if "datasets" in spec:
            for rows in spec["datasets"].values():
                found.extend(rows)
    elif isinstance(spec, list):
        for item in spec:
            found.extend(inline_values(item))
    return found


def svg_text(figure: Figure) -> str:
    """The SVG parsed as XML (it must be valid) and its text content joined."""
    root = ET.fromstring(figure.svg)
    assert root.tag.endswith("svg")
    return " ".join(t.strip() for t in root.itertext() if t.strip())


# --------------------------------------------------------------------------- representation


def representation_results() -> list[Result]:
    rid = "representation.ethnicity"
    rows = [
        ("White", "all", 40.0),
        ("BME", "all", 55.0),
        ("Unknown", "all", 5.0),
        ("White", "Band 2", 30.0),
        ("BME", "Band 2", 66.0),
        ("Unknown", "Band 2", 4.0),
        ("White", "Band 8a", 71.26),
        ("BME", "Band 8a", 25.04),
        ("White", "Band 5", 45.0),
        ("BME", "Band 5", 50.0),
        ("Unknown", "Band 5", 5.0),
    ]
    results = [share(rid, g, v, {"pay_band": b}) for g, b, v in rows]
    results.append(share(rid, "Unknown", 3.7, {"pay_band": "Band 8a"}).suppress("small"))
    results.append(share(rid, "White", 99.0, {"pay_band": "Band 2"}, org="RRV"))
    return results


def test_representation_chart(specs: list[dict[str, Any]]) -> None:
    fig = representation_chart(representation_results(), "representation.ethnicity", ORG, PERIOD)
    assert fig is not None
    assert fig.headers == ["Pay band", "White", "BME", "Unknown"]
    # pay bands in reporting order, whole workforce last; 1 dp as published
    assert fig.rows == [
        ["Band 2", "30.0%", "66.0%", "4.0%"],
        ["Band 5", "45.0%", "50.0%", "5.0%"],
        ["Band 8a", "71.3%", "25.0%", "withheld"],
        ["All staff", "40.0%", "55.0%", "5.0%"],
    ]
    assert fig.rows[2][1] == number(71.26, Unit.PERCENT)
    for group in ("White", "BME", "Unknown"):
        assert group in fig.alt
    # the largest difference from the whole workforce: White in Band 8a (71.3% v 40.0%)
    assert "White staff in Band 8a" in fig.alt
    assert "71.3%" in fig.alt
    text = svg_text(fig)
    assert fig.title in text
    assert "Band 8a" in text and "BME" in text
    plotted = inline_values(specs[-1])
    assert {(d["group"], d["band"]) for d in plotted if d["group"] == "Unknown"} == {
        ("Unknown", "Band 2"),
        ("Unknown", "Band 5"),
        ("Unknown", "All staff"),
    }
    assert all(d["value"] != 3.7 for d in plotted)
    assert all(d["value"] != 99.0 for d in plotted)  # another trust


def test_representation_chart_cluster() -> None:
    results = [
        share("wres.1", "BME", 62.5, {"cluster": "all", "pay_band": "all"}),
        share("wres.1", "BME", 60.0, {"cluster": "clinical", "pay_band": "all"}),
        share("wres.1", "BME", 70.0, {"cluster": "clinical", "pay_band": "Band 5"}),
        share("wres.1", "BME", 30.0, {"cluster": "non-clinical", "pay_band": "Band 5"}),
        share("wres.1", "BME", 40.0, {"cluster": "non-clinical", "pay_band": "all"}),
    ]
    clinical = representation_chart(results, "wres.1", ORG, PERIOD)
    assert clinical is not None  # default: the first cluster with pay bands
    assert clinical.rows == [["Band 5", "70.0%"], ["All staff", "60.0%"]]
    other = representation_chart(results, "wres.1", ORG, PERIOD, cluster="non-clinical")
    assert other is not None
    assert other.rows == [["Band 5", "30.0%"], ["All staff", "40.0%"]]
    assert "non-clinical" in other.title


def test_representation_chart_none_without_results() -> None:
    assert representation_chart([], "representation.ethnicity", ORG, PERIOD) is None
    results = representation_results()
    assert representation_chart(results, "representation.ethnicity", "XYZ", PERIOD) is None


# --------------------------------------------------------------------------- likelihoods


def test_likelihood_chart(specs: list[dict[str, Any]]) -> None:
    results = [
        likelihood("wres.2", "White:BME", 1.7407, 1.589, 1.9069),
        likelihood("wres.4", "White:BME", 0.8612, 0.81, 0.92),
        likelihood("wres.3", "BME:White", 1.43, 0.78, 2.64),
        likelihood("wdes.3", "Disabled:Non-disabled", 2.5, 1.2, 4.0).suppress("few"),
        likelihood("wres.2", "White:BME", 3.0, 2.0, 4.0, period=2023),  # other year
        share("wres.2", "White", 24.1, {}),  # a rate/share, not a likelihood
    ]
    fig = likelihood_chart(results, ORG, PERIOD)
    assert fig is not None
    assert fig.headers == ["Indicator", "Groups", "Relative likelihood", "95% CI", "Reading"]
    assert fig.rows == [
        [
            "WDES 3",
            "Disabled compared with Non-disabled",
            "withheld",
            "",
            "",
        ],
        ["WRES 2", "White compared with BME", "1.74", "1.59–1.91", "White more likely"],
        ["WRES 3", "BME compared with White", "1.43", "0.78–2.64", "no evidence of difference"],
        ["WRES 4", "White compared with BME", "0.86", "0.81–0.92", "BME more likely"],
    ]
    assert "WRES 2 (White compared with BME)" in fig.alt and "1.74" in fig.alt
    assert "1 of 3 show no evidence of difference" in fig.alt
    text = svg_text(fig)
    assert fig.title in text
    assert "no evidence of difference" in text
    assert "WRES 3: BME compared with White" in text
    assert "withheld" in text and "fewer than" not in text  # marked, with no value or bound
    plotted = inline_values(specs[-1])
    rows = {d["row"] for d in plotted if "value" in d}
    assert rows == {
        "WRES 2: White compared with BME",
        "WRES 3: BME compared with White",
        "WRES 4: White compared with BME",
    }
    withheld = [d for d in plotted if "row" in d and "value" not in d]
    assert [d["row"] for d in withheld] == ["WDES 3: Disabled compared with Non-disabled"]
    assert all(d.get("value") != 2.5 for d in plotted)
    # line of equality at 1 and the 0.8–1.25 band; log scale
    assert {"x": 1.0} in plotted
    assert {"lo": 0.8, "hi": 1.25} in plotted
    assert '"log"' in str(specs[-1]).replace("'", '"')


def test_likelihood_chart_survives_zero_and_infinity(specs: list[dict[str, Any]]) -> None:
    results = [
        likelihood("wres.2", "White:BME", 0.0, 0.0, 0.5),
        likelihood("wres.3", "BME:White", 4.0, 1.5, float("inf")),
    ]
    fig = likelihood_chart(results, ORG, PERIOD)
    assert fig is not None
    assert fig.rows[0][2] == "0.00"
    plotted = [d for d in inline_values(specs[-1]) if "row" in d]
    assert all(0 < d[k] < float("inf") for d in plotted for k in ("value", "lower", "upper"))


def test_svg_is_a_named_image() -> None:
    fig = likelihood_chart([likelihood("wres.2", "White:BME", 1.74, 1.59, 1.91)], ORG, PERIOD)
    assert fig is not None
    root = ET.fromstring(fig.svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == fig.alt
    ns = "{http://www.w3.org/2000/svg}"
    assert root[0].tag == f"{ns}title" and root[0].text == fig.title
    assert root[1].tag == f"{ns}desc" and root[1].text == fig.alt


def test_likelihood_chart_none() -> None:
    assert likelihood_chart([], ORG, PERIOD) is None


# --------------------------------------------------------------------------- stacked


def quartile_results() -> list[Result]:
    out = []
    for q, f in (
        ("lower", 75.3044),
        ("lower_middle", 80.5),
        ("upper_middle", 82.9),
        ("upper", 67.6),
    ):
        out.append(share("paygap.sex.quartiles", "female", f, {"quartile": q}))
        out.append(share("paygap.sex.quartiles", "male", 100 - f, {"quartile": q}))
    return out


def test_quartile_chart(specs: list[dict[str, Any]]) -> None:
    results = list(reversed(quartile_results()))  # order comes from the quartiles, not input
    fig = quartile_chart(results, ORG, PERIOD)
    assert fig is not None
    assert fig.headers[0] == "Quartile"
    assert set(fig.headers[1:]) == {"Women", "Men"}  # words, not codes
    female = fig.headers.index("Women")
    assert [r[0] for r in fig.rows] == ["Lower", "Lower middle", "Upper middle", "Upper"]
    assert [r[female] for r in fig.rows] == ["75.3%", "80.5%", "82.9%", "67.6%"]
    assert "female" in fig.alt and "male" in fig.alt
    text = svg_text(fig)
    assert fig.title in text and "Lower middle" in text
    plotted = inline_values(specs[-1])
    lower = [d for d in plotted if d["category"] == "Lower"]
    assert max(d["end"] for d in lower) == pytest.approx(100)


def test_quartile_chart_other_characteristic_and_none() -> None:
    assert quartile_chart(quartile_results(), ORG, PERIOD, characteristic="ethnicity") is None


def test_seb_band_chart(specs: list[dict[str, Any]]) -> None:
    rid = "seb.profile_by_band"
    rows = [
        ("professional", "Band 2", 23.1),
        ("intermediate", "Band 2", 25.5),
        ("lower", "Band 2", 51.4),
        ("professional", "Consultant", 68.3),
        ("intermediate", "Consultant", 21.7),
        ("professional", "Band 8a", 50.0),
        ("intermediate", "Band 8a", 13.8),
        ("lower", "Band 8a", 36.2),
    ]
    results = [share(rid, g, v, {"pay_band": b}) for g, b, v in rows]
    results.append(share(rid, "lower", 10.0, {"pay_band": "Consultant"}).suppress("few"))
    fig = seb_band_chart(results, ORG, PERIOD)
    assert fig is not None
    assert fig.headers == [
        "Pay band",
        "Professional background",
        "Intermediate background",
        "Lower socio-economic background",
    ]
    assert fig.rows == [
        ["Band 2", "23.1%", "25.5%", "51.4%"],
        ["Band 8a", "50.0%", "13.8%", "36.2%"],
        ["Consultant", "68.3%", "21.7%", "withheld"],
    ]
    assert "professional" in fig.alt and "lower" in fig.alt
    # the largest spread: professional from 23.1% in Band 2 to 68.3% in Consultant
    assert "professional: from 23.1% in Band 2 to 68.3% in Consultant" in fig.alt
    text = svg_text(fig)
    assert fig.title in text and "Consultant" in text
    plotted = inline_values(specs[-1])
    assert not [d for d in plotted if d["category"] == "Consultant" and d["group"] == "lower"]
    assert seb_band_chart(results, "XYZ", PERIOD) is None


# --------------------------------------------------------------------------- XmR


def series(values: list[float | None]) -> list[Result]:
    out = []
    for i, v in enumerate(values):
        r = likelihood("wres.2", "White:BME", v or 1.0, 0.5, 5.0, period=2015 + i)
        out.append(r.suppress("few") if v is None else r)
    return out


def test_xmr_chart(specs: list[dict[str, Any]]) -> None:
    values: list[float | None] = [1.5, 1.6, 1.55, 1.6, 1.7, 1.8, 1.9, 2.0, None, 2.1, 2.9]
    results = series(values)
    fig = xmr_chart(results, ORG, "wres.2", "White:BME", Measure.RELATIVE_LIKELIHOOD)
    assert fig is not None
    assert fig.headers == ["Period", "Value", "Signal"]
    assert [r[0] for r in fig.rows] == [str(2015 + i) for i in range(len(values))]
    assert [r[1] for r in fig.rows] == [
        "1.50",
        "1.60",
        "1.55",
        "1.60",
        "1.70",
        "1.80",
        "1.90",
        "2.00",
        "withheld",
        "2.10",
        "2.90",
    ]
    # 1.55 (2017) rises for 8 plotted points to 2.90 (2025); 2023 is suppressed, not plotted
    assert "trend" in fig.rows[5][2]
    assert "trend" not in fig.rows[1][2]
    assert fig.rows[8][2] == ""
    assert "2015" in fig.alt and "mean" in fig.alt and "Special cause" in fig.alt
    text = svg_text(fig)
    assert "mean" in text and "upper limit" in text and "lower limit" in text
    plotted = inline_values(specs[-1])
    periods = {d["period"] for d in plotted if "period" in d}
    assert "2023" not in periods and "2025" in periods
    assert any(d.get("kind") == "special cause" for d in plotted)


def test_xmr_chart_common_cause() -> None:
    fig = xmr_chart(
        series([1.2, 1.25, 1.22, 1.27, 1.21]),
        ORG,
        "wres.2",
        "White:BME",
        Measure.RELATIVE_LIKELIHOOD,
    )
    assert fig is not None
    assert all(r[2] == "common cause" for r in fig.rows)
    assert "common cause variation only" in fig.alt


def test_xmr_chart_needs_three_periods() -> None:
    args = (ORG, "wres.2", "White:BME", Measure.RELATIVE_LIKELIHOOD)
    assert xmr_chart(series([1.2, 1.3]), *args) is None
    assert xmr_chart(series([1.2, None, 1.3]), *args) is None  # suppressed don't count
    assert xmr_chart(series([1.2, 1.3, 1.4]), ORG, "wres.2", "BME", Measure.RATE) is None
