"""The checks of issue 21 (links that are copies, disagreements not flagged, times the
fields do not carry, related duplicates, confidence, the log): each finds the smallest
planted instance of its kind and nothing in its clean twin, and states its rule in
geodata/README.md and in the quality view."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis import quality
from dashboard.analysis.quality_confidence import confidence_mismatches
from dashboard.analysis.quality_disputes import competing_values, undisputed_disagreements
from dashboard.analysis.quality_files import official_disputes_report
from dashboard.analysis.quality_links import non_article_links
from dashboard.analysis.quality_log import log_gaps
from dashboard.analysis.quality_related import related_duplicates
from dashboard.analysis.quality_times import unstated_times
from dashboard.ingest.validate import validate_incidents
from tests.conftest import ROOT, incident_row, to_csv


@pytest.fixture(scope="module")
def frame_of(bundle):
    def build(*rows: dict) -> pd.DataFrame:
        frame, report = validate_incidents(
            to_csv(list(rows)), "fixture.csv", bundle.locations, bundle.states
        )
        assert report.ok, report.to_text()
        return frame

    return build


# ------------------------------------------------------------------ links

ARTICLE = "https://www.infobae.com/mexico/2026/02/23/atacan-bancos-del-bienestar/"
COPY = "https://despertarmexico.com/nacional/en-michoacan-atacan-bancos-del-bienestar/"
PAGE = "https://noticiaspvnayarit.com.mx/danos-comercios-vallarta"


@pytest.mark.parametrize(
    ("main", "more", "found"),
    [
        ("https://www.msn.com/es-mx/noticias/mexico/bloqueos/ar-AA1x", "", "aggregator"),
        (ARTICLE, "https://news.google.com/articles/CBMiXx", "aggregator"),
        (COPY, "", "republishes"),
        ("https://www.proceso.com.mx/a-b-c.html", COPY, "republishes"),  # no Infobae link
        (ARTICLE, COPY, None),  # the copy after the original
        (f"{PAGE}/amp", "", "AMP"),
        ("https://www.proceso.com.mx/a-b-c.html", f"{PAGE}/amp", "AMP"),  # no canonical page
        (PAGE, f"{PAGE}/amp", None),
        (f"{PAGE}/amp", PAGE, "AMP"),  # the copy first
        ("https://m.eluniversal.com.mx/estados/bloqueos-en-jalisco", "", "AMP"),
        ("https://www.razon.com.mx/mexico/bloqueos-en-jalisco-hoy/?outputType=amp", "", "AMP"),
        ("https://www.razon.com.mx/mexico/bloqueos-en-jalisco-hoy/", "", None),
        ("https://www.example.com/amplifican-bloqueos-en-la-zona", "", None),
    ],
)
def test_copies_of_an_article(frame_of, main, more, found):
    findings = non_article_links(frame_of(incident_row(source_url=main, more_source_urls=more)))
    if found is None:
        assert findings == []
    else:
        assert len(findings) == 1 and found in findings[0].detail


@pytest.mark.parametrize(
    ("main", "more", "notes", "kept"),
    [
        (ARTICLE, f"{PAGE}/amp", "AMP copy of its article (canonical address not verified).", 1),
        (COPY, "", "Despertar México republishes Infobae (original not found).", 1),
        ("https://www.proceso.com.mx/a-b-c.html", COPY, "Infobae's original was not found.", 1),
        (ARTICLE, "https://www.msn.com/es-mx/noticias/ar-AA1x", "Original not found.", 0),
        (ARTICLE, f"{PAGE}/amp", "Found at 10:00.", 0),
    ],
)
def test_a_copy_whose_original_was_not_found_stays_when_the_notes_say_so(
    frame_of, main, more, notes, kept
):
    from dashboard.analysis.quality_links import kept_copies, links_table

    frame = frame_of(incident_row(source_url=main, more_source_urls=more, notes=notes))
    assert len(non_article_links(frame)) == 1 - kept
    assert len(kept_copies(frame)) == kept
    details = links_table(frame)["detail"].tolist()
    assert len(details) == 1 and ("kept:" in details[0]) == bool(kept)


# ------------------------------------------------------------------ disputed


@pytest.mark.parametrize(
    ("notes", "summary", "found"),
    [
        ("Unclear basis; differs from Gabinete 65.", "", "differs from"),
        ("Info7 places it in the morning (date ambiguous).", "", "date ambiguous"),
        ("Attempted on 22/23 Feb.", "", "22/23 Feb"),
        ("4 or 5 vehicles burned.", "", "4 or 5 vehicles"),
        ("Roads blocked from ~08:00 (Univision); police from ~09:30 (KRGV).", "", "~09:30"),
        ("4 vehicles per Primera Línea, 5 per Excélsior.", "", "5 per Excélsior"),
        ("13 states had announced suspensions.", "At least eleven states closed schools.", "11"),
        ("Tense period 09:20–11:30 per the prosecutor.", "", None),
        ('Also names "Ojo de Agua" (not geolocated - ambiguous names).', "", None),
        ("Coords = town/municipal seat or approximate locality, not the exact site.", "", None),
        ("7 incidents by 15:00 (Transparente).", "", None),
        ("11 states suspended classes.", "At least eleven states closed schools.", None),
    ],
)
def test_two_values_for_one_fact(frame_of, notes, summary, found):
    assert (competing_values(notes, summary) is not None) == (found is not None)
    row = incident_row(notes=notes, summary=summary or "A test blockade.")
    findings = undisputed_disagreements(frame_of(row))
    assert [found in f.detail for f in findings] == ([True] if found else [])
    flagged = dict(row, disputed="true")
    assert undisputed_disagreements(frame_of(flagged)) == []  # only the flag clears it


def test_every_side_of_an_official_disagreement_is_flagged():
    data = (
        b"reported_at,scope,metric,value,reported_by,source_url,disputed,notes\n"
        b"2026-02-22T20:00-06:00,Jalisco,blockades_reported,65,Gabinete,https://e.org/a-b-c,"
        b"false,\n"
        b"2026-02-23T00:00-06:00,Jalisco,blockades_reported,77,Infobae,https://e.org/d-e-f,"
        b"true,differs from Gabinete 65\n"
        b"2026-02-23T00:00-06:00,Jalisco,arrests,41,Jalisco,https://e.org/g-h-i,false,"
        b"41 or 42 arrests\n"
    )
    report = official_disputes_report(data)
    found = sorted((p.row, p.field, p.severity) for p in report.problems)
    # Line 2: the flagged 77 says it differs from 65; line 4: its own notes give 41 or 42.
    assert found == [(2, "disputed", "error"), (4, "disputed", "error")]
    by_row = {p.row: p.reason for p in report.problems}
    assert "Jalisco blockades_reported 2026-02-23 (Infobae)" in by_row[2]


# ------------------------------------------------------------------ unstated_time

DAY = {"start": "2026-02-22T00:00-06:00", "time_precision": "day"}
MORNING = {"start": "2026-02-22T06:00-06:00", "time_precision": "part_of_day"}


@pytest.mark.parametrize(
    ("fields", "text", "found"),
    [
        (DAY, {"notes": "Info7 places the attempt in the morning."}, ["time_precision"]),
        (DAY, {"notes": "Incidents concentrated 10:00–12:00."}, ["time_precision"]),
        (DAY, {"summary": "Several men were arrested overnight."}, ["time_precision"]),
        (DAY, {"notes": "GN Carreteras report published 13:17."}, []),
        (
            DAY,
            {"notes": "Toll blockade 23 Feb morning per Informador."},
            ["time_precision", "start"],
        ),
        (
            {**MORNING, "part_of_day": "morning"},
            {"notes": "Fires at about 21:30."},
            ["time_precision"],
        ),
        ({**MORNING, "part_of_day": "morning"}, {"notes": "About 09:30 (KRGV)."}, []),
        (
            {**MORNING, "part_of_day": "morning"},
            {"summary": "Set on fire at night."},
            ["time_precision"],
        ),
        (
            {**MORNING, "part_of_day": "early_morning", "start": "2026-02-22T00:00-06:00"},
            {"notes": "Early morning; date inferred."},
            [],
        ),
        (
            {**MORNING, "part_of_day": "morning", "end": "2026-02-22T15:00-06:00"},
            {"summary": "Transport resumed from 15:00."},
            [],
        ),
        (
            {**MORNING, "part_of_day": "morning"},
            {"summary": "Transport resumed from 15:00."},
            ["time_precision"],
        ),
        ({"time_precision": "hour"}, {"summary": "A blockade at night."}, ["time_precision"]),
        ({"time_precision": "hour"}, {"notes": "Hundreds stranded overnight."}, []),
        (  # a record id, not a time
            {**MORNING, "part_of_day": "morning"},
            {"notes": "Trucks burned earlier (mich-ecuandureo-night)."},
            [],
        ),
        ({"time_precision": "hour"}, {"summary": "A blockade in the morning."}, []),
    ],
)
def test_times_the_fields_do_not_carry(frame_of, fields, text, found):
    row = incident_row(**fields, **text)
    if "summary" not in text:
        row["summary"] = "A test blockade."
    assert [f.field for f in unstated_times(frame_of(row))] == found


# ------------------------------------------------------------------ related_duplicates

TOWN = {"municipality": "Cihuatlán", "cve_ent": "14", "time_precision": "day"}


def _pair(first: dict, second: dict) -> list[dict]:
    return [incident_row(incident_id="a", **first), incident_row(incident_id="b", **second)]


@pytest.mark.parametrize(
    ("first", "second", "found"),
    [
        (  # one at the town, one at a site in it, same day
            {**TOWN, "place": "Cihuatlán", "latitude": "19.2372", "longitude": "-104.5683"},
            {
                **TOWN,
                "place": "Crucero de Melaque",
                "latitude": "19.2219",
                "longitude": "-104.7003",
            },
            True,
        ),
        (  # two named sites in one town: different places
            {**TOWN, "place": "Barra de Navidad", "latitude": "19.2050", "longitude": "-104.6850"},
            {
                **TOWN,
                "place": "Crucero de Melaque",
                "latitude": "19.2219",
                "longitude": "-104.7003",
            },
            False,
        ),
        (  # the town and a site, another day
            {**TOWN, "place": "Cihuatlán", "latitude": "19.2372", "longitude": "-104.5683"},
            {
                **TOWN,
                "place": "Crucero de Melaque",
                "latitude": "19.2219",
                "longitude": "-104.7003",
                "start": "2026-02-23T00:00-06:00",
            },
            False,
        ),
        (  # trucks burned at 22:00, the booth blocked next morning
            {"event_type": "vehicle_arson", "blockades": "", "start": "2026-02-22T22:00-06:00"},
            {
                "time_precision": "part_of_day",
                "part_of_day": "morning",
                "start": "2026-02-23T06:00-06:00",
            },
            True,
        ),
        (  # a store burned at night, a blockade next morning: unrelated types
            {"event_type": "business_arson", "blockades": "", "start": "2026-02-22T22:00-06:00"},
            {
                "time_precision": "part_of_day",
                "part_of_day": "morning",
                "start": "2026-02-23T06:00-06:00",
            },
            False,
        ),
        (  # two days apart
            {"event_type": "vehicle_arson", "blockades": "", "start": "2026-02-22T22:00-06:00"},
            {"start": "2026-02-24T08:00-06:00"},
            False,
        ),
        (  # a road closed on 22 Feb (day) and the booth there blocked on the 23rd's morning
            {"event_type": "transport_disruption", "blockades": "", "time_precision": "day"},
            {
                "time_precision": "part_of_day",
                "part_of_day": "morning",
                "start": "2026-02-23T06:00-06:00",
            },
            True,
        ),
        (  # the same, a day record on each day
            {"time_precision": "day"},
            {"time_precision": "day", "start": "2026-02-23T00:00-06:00"},
            True,
        ),
        (  # a day record, the other two calendar days later
            {"time_precision": "day"},
            {"time_precision": "day", "start": "2026-02-24T00:00-06:00"},
            False,
        ),
    ],
)
def test_related_duplicates(frame_of, first, second, found):
    findings = related_duplicates(frame_of(*_pair(first, second)))
    assert [f.incident_ids for f in findings] == ([("a", "b")] if found else [])
    if found:  # marked distinct with a reason: not a finding
        marked = _pair({**first, "distinct_from": "b", "distinct_reason": "Two sites."}, second)
        assert related_duplicates(frame_of(*marked)) == []


# ------------------------------------------------------------------ confidence


@pytest.mark.parametrize(
    ("confidence", "more", "found"),
    [
        ("high", "", True),
        ("high", "https://www.example.org/report/amp", True),  # a copy of the same article
        ("high", "https://www.informador.mx/jalisco/bloqueos-20260222-0012.html", False),
        ("medium", "", False),
        ("low", "", False),
    ],
)
def test_confidence_agrees_with_the_outlets(frame_of, confidence, more, found):
    row = incident_row(
        confidence=confidence,
        source_url="https://www.example.org/report",
        more_source_urls=more,
    )
    assert bool(confidence_mismatches(frame_of(row))) == found


# ------------------------------------------------------------------ log


def test_a_change_without_a_correction_row_is_found():
    baseline = {"a": {"disputed": "false", "notes": "x"}, "gone": {}, "merged": {}}
    current = {"a": {"disputed": "true", "notes": "y"}, "new": {"notes": ""}}
    logged = {("a", "notes"), ("merged", "record")}
    found = log_gaps(current, baseline, logged, ("disputed", "notes"))
    assert [(f.incident_ids[0], f.field, f.value) for f in found] == [
        ("a", "disputed", "true"),  # changed, not logged
        ("new", "record", ""),  # not in the research build, no 'added' row
        ("gone", "record", ""),  # gone without a 'record' row
    ]
    assert (
        log_gaps(
            current,
            baseline,
            logged | {("a", "disputed"), ("new", "record"), ("gone", "record")},
            ("disputed", "notes"),
        )
        == []
    )


def test_the_log_check_compares_the_bundled_data_with_the_research_build(bundle):
    """Where the research pack is, the log compares every record: nothing differs but
    what the log covers (its findings, if any, are changes without a row)."""
    from dashboard.analysis.quality_log import RESEARCH, incident_gaps

    if not (RESEARCH / "incidents_2026-02.csv").exists():
        pytest.skip("the research pack is not beside this clone")
    found = incident_gaps(bundle)
    # Only the review fields can differ without a row (the build applies every other
    # change from the log): a finding elsewhere would be a defect of the comparison.
    assert {f.field for f in found} <= {
        "disputed",
        "part_of_day",
        "distinct_from",
        "distinct_reason",
    }


# ------------------------------------------------------------------ the rules


ISSUE_21 = (
    "non_article_links",
    "disputed",
    "unstated_time",
    "related_duplicates",
    "confidence",
    "log",
)


def test_each_check_states_its_rule_in_the_readme_and_the_quality_view():
    readme = (ROOT / "geodata" / "README.md").read_text(encoding="utf-8")
    english, spanish = quality.check_rules("en"), quality.check_rules("es")
    assert set(ISSUE_21) <= set(english)
    for key, rule in english.items():
        assert rule in readme, key  # word for word
        assert f"**`{key}`**" in readme, key
        assert spanish[key] and spanish[key] != rule, key  # translated
    view = set(quality.check_rules(in_view=True)) | set(quality.check_rules(in_view=False))
    assert view == set(english)


def test_validate_fails_on_an_undisputed_disagreement_in_the_bundled_data(bundle):
    from dataclasses import replace

    first = bundle.incidents.iloc[[0]].assign(disputed=False, notes="4 or 5 vehicles burned.")
    report = quality.bundle_quality_report(replace(bundle, incidents=first))
    planted = [p for p in report.problems if p.reason.startswith("disputed [")]
    assert planted and planted[0].severity == "error" and planted[0].row == 2 and not report.ok


def test_related_duplicates_of_a_hostile_file_are_bounded(frame_of):
    """600 records at one town on one day are 359,400 ordered pairs: the work stops at
    `limit` pairs found, or at `candidates` pairs looked at."""
    from dashboard.analysis.quality_related import related_pairs

    rows = [incident_row(incident_id=f"x{i}", place="Cihuatlán", **TOWN) for i in range(600)]
    frame = frame_of(*rows)
    assert len(related_pairs(frame, limit=50)) == 50
    assert len(related_pairs(frame, limit=10**6, candidates=1_000)) <= 1_000
