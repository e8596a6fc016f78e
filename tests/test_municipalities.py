"""One spelling per municipality of a reader's file (tester 9, finding 10): municipalities
are matched within their state ignoring accents and case, written as the bundled places
write them, else with the file's most accented spelling, and each change is reported."""

from __future__ import annotations

import pytest

from dashboard.analysis.aggregates import municipality_counts
from dashboard.ingest.validate import check_incidents
from tests.conftest import incident_row, to_csv
from tests.test_import import DATA

SINALOA = ("24.8091", "-107.3940")  # Culiacán (the fixture's first row is at Tapalpa)
GUERRERO = ("16.8531", "-99.8237")  # Acapulco


def acled_file(*admin2: tuple[str, ...]) -> bytes:
    """The fixture ACLED file's first row once per (admin1, admin2[, lat, lon]) given."""
    header, first = (DATA / "acled_export.csv").read_text("utf-8").splitlines()[:2]
    lines = [header]
    for n, (admin1, municipality, *point) in enumerate(admin2):
        fields = first.split(",")
        fields[0] = f"MEX9{n:04d}"
        fields[18], fields[19] = admin1, municipality
        if point:
            fields[22], fields[23] = point
        lines.append(",".join(fields))
    return ("\n".join(lines) + "\n").encode()


def ours(*municipalities: str) -> bytes:
    return to_csv(
        [incident_row(incident_id=f"r{n}", municipality=m) for n, m in enumerate(municipalities)]
    )


# (what, file, field reported, {municipality: rows} in the table, warnings (value, read as))
CASES = [
    (
        "ACLED, bundled places know the accents",
        acled_file(
            ("Guerrero", "Acapulco de Juarez", *GUERRERO),
            ("Guerrero", "acapulco de juárez", *GUERRERO),
        ),
        "admin2",
        {"Acapulco de Juárez": 2},
        {
            ("Acapulco de Juarez", "Acapulco de Juárez"),
            ("acapulco de juárez", "Acapulco de Juárez"),
        },
    ),
    (
        "ACLED, the file's own accented spelling wins",
        acled_file(
            ("Sinaloa", "Culiacan", *SINALOA),
            ("Sinaloa", "Culiacán", *SINALOA),
            ("Sinaloa", "CULIACAN", *SINALOA),
        ),
        "admin2",
        {"Culiacán": 3},
        {("Culiacan", "Culiacán"), ("CULIACAN", "Culiacán")},
    ),
    (
        "ACLED, one spelling nobody accents: kept, not made up",
        acled_file(("Sinaloa", "Culiacan", *SINALOA), ("Sinaloa", "Culiacan", *SINALOA)),
        "admin2",
        {"Culiacan": 2},
        set(),
    ),
    (
        "ours, mixed spellings in one state",
        ours("Zapopan", "ZAPOPAN", "Tlaquepaque"),
        "municipality",
        {"Zapopan": 2, "Tlaquepaque": 1},
        {("ZAPOPAN", "Zapopan")},
    ),
]


@pytest.mark.parametrize(
    ("what", "data", "field", "table", "warned"), CASES, ids=[c[0] for c in CASES]
)
def test_a_files_municipalities_are_one_row_each_and_the_change_is_reported(
    bundle, what, data, field, table, warned
):
    result = check_incidents(data, "mine.csv", bundle.locations, bundle.states)
    assert result.report.ok, result.report.to_text()
    counts = municipality_counts(result.frame)  # the whole file
    got = dict(zip(counts["municipality"], counts["incidents"], strict=True))
    assert got == table
    notes = {
        (p.value, p.reason.split(",")[0].removeprefix("read as "))
        for p in result.report.problems
        if p.field == field and "accents and case aside" in p.reason
    }
    assert notes == warned
    assert all(p.severity == "warning" for p in result.report.problems if p.field == field)


def test_the_same_name_in_two_states_is_two_municipalities(bundle):
    data = acled_file(("Jalisco", "Guadalajara"), ("Sinaloa", "guadalajara", *SINALOA))
    frame = check_incidents(data, "two.csv", bundle.locations, bundle.states).frame
    assert sorted(frame["municipality"]) == ["Guadalajara", "guadalajara"]
