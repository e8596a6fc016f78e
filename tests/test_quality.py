"""Data-quality checks: each finds a planted case in a small fixture and nothing in a clean one."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis import quality
from dashboard.analysis.quality_counts import blockade_tallies, stated_counts, summary_counts
from dashboard.analysis.quality_duplicates import duplicate_pairs, duplicates, duplicates_table
from dashboard.analysis.quality_links import link_problem, non_article_links
from dashboard.analysis.quality_places import outside_state_table
from dashboard.analysis.quality_sources import disputed_table, outlets_table, weak_sources_table
from dashboard.analysis.quality_times import imprecise_table, unnamed_part_of_day
from dashboard.ingest.validate import validate_incidents
from tests.conftest import ROOT, incident_row, to_csv


@pytest.fixture(scope="module")
def frame_of(bundle):
    def build(*rows: dict) -> pd.DataFrame:
        frame, report = validate_incidents(
            to_csv(list(rows)), "fixture.csv", bundle.locations, bundle.states
        )
        assert report.ok, report.to_text()
        assert len(frame) == len(rows)
        return frame

    return build


def clean_rows() -> list[dict]:
    """Three distinct, well-formed records: nothing for any check to find."""
    return [
        incident_row(incident_id="a", summary="A blockade was reported on the highway."),
        incident_row(
            incident_id="b",
            event_type="armed_clash",
            fatalities="2",
            arrested="1",
            summary="Two suspects were killed and a man was detained after a shootout.",
            source_url="https://www.example.com.mx/estados/2026/02/22/balacera-en-tuxpan-123",
        ),
        incident_row(
            incident_id="c",
            start="2026-02-22T00:00-06:00",
            time_precision="part_of_day",
            part_of_day="evening",
            event_type="business_arson",
            blockades="",
            summary="A store was set on fire in the evening.",
            latitude="20.70",
            longitude="-103.40",
        ),
    ]


def test_clean_fixture_has_no_findings(frame_of):
    assert quality.validation_findings(frame_of(*clean_rows())) == []


# ------------------------------------------------------------------ non_article_links


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://admin.lasillarota.editor80.com/estados/2026/2/22/nota-587290.html", "content"),
        (
            "https://adminqr.heraldodemexico.com.mx/local/2026/2/22/cierran-1.html",
            "content",
        ),
        (
            "https://expreso.azurewebsites.net/noticias/mexico/comunicado/248829",
            "staging",
        ),
        ("https://esrt.space/actualidad/588410-mexico-detalles-operativo", "mirror"),
        ("https://archive.ph/AbC12", "mirror"),
        ("https://web.archive.org/web/2026/https://www.proceso.com.mx/a-b-c.html", "mirror"),
        ("https://www.chilango.com/ciudad/tapalpa/", "listing"),
        ("https://entidadoaxaca.mx/2026/02/page/13", "/page/"),
        ("https://www.informador.mx/tags/bloqueos", "/tags/"),
        ("https://www.proceso.com.mx/buscar?q=mencho", "search"),
        ("https://gorjpress.ro/index.php/externe?page=32", "listing"),
        ("https://www.eluniversal.com.mx/", "home page"),
    ],
)
def test_non_article_link_is_found_in_either_field(frame_of, url, kind):
    frame = frame_of(
        incident_row(incident_id="main", source_url=url),
        incident_row(
            incident_id="more",
            more_source_urls=f"https://example.org/a-b-c {url}",
            latitude="19.0",
            longitude="-99.1",
            cve_ent="09",
        ),
    )
    findings = non_article_links(frame)
    assert [(f.incident_ids, f.field, f.value) for f in findings] == [
        (("main",), "source_url", url),
        (("more",), "more_source_urls", url),
    ]
    assert kind in findings[0].detail


@pytest.mark.parametrize(
    "url",
    [
        "https://www.informador.mx/jalisco/bloqueos-en-guadalajara-hoy-20260222-0012.html",
        "https://www.lja.mx/?p=583337",
        "https://chilehoy.press/article.php?id=570541",
        "https://www.nacion.com/el-mundo/aerolineas-cancelan/GVEBUPD7NFC2NHA4AJ3ZX3XAII/story/",
        "https://noticiaspvnayarit.com.mx/danos-comercios-transporte-vallarta/amp",
    ],
)
def test_article_links_are_not_findings(url):
    assert link_problem(url) is None


# ------------------------------------------------------------------ summary_counts


@pytest.mark.parametrize(
    ("summary", "fields"),
    [
        (
            "Gunmen attacked soldiers; two suspects were killed and a Colombian man was detained.",
            {"fatalities": 2, "arrested": 1},
        ),
        ("Three people were detained near the toll booth.", {"arrested": 3}),
        ("Police detained 12 men after the chase.", {"arrested": 12}),
        (
            "Officers killed three attackers and four police were wounded.",
            {"fatalities": 3, "injured": 4},
        ),
        ("A guard was killed during the escape.", {"fatalities": 1}),
        ("The clash left 2 dead and 5 injured.", {"fatalities": 2, "injured": 5}),
        ("Twenty-three inmates were recaptured.", {"arrested": 23}),
        ("The mayor reported two new road blockades.", {"blockades": 2}),
        ("Prosecutors announced the arrest of three men.", {"arrested": 3}),
    ],
)
def test_stated_counts(summary, fields):
    assert {k: v[0] for k, v in stated_counts(summary).items()} == fields


@pytest.mark.parametrize(
    "summary",
    [
        "Two cars were set on fire in Celaya.",
        "A 24-year-old woman suffered burns to about 10% of her body around 09:20.",
        "A blockade was reported at km 37 of the Tecate–Ensenada highway on 23 February.",
        "Díaz Ordaz was one of five Tamaulipas municipalities where blockades were recorded.",
        "City buses were set on fire, with no injuries reported.",
        "Four men on two motorcycles firebombed a store, badly burning a two-year-old boy.",
        "Governor Javier May reinforced security in 17 municipalities with 2,500 personnel.",
    ],
)
def test_no_count_stated(summary):
    assert stated_counts(summary) == {}


def test_summary_counts_planted_and_clean(frame_of):
    planted = incident_row(
        incident_id="tuxpan",
        event_type="armed_clash",
        blockades="",
        summary="Gunmen attacked soldiers; two suspects were killed and a man was detained.",
    )
    filled = dict(
        planted,
        incident_id="filled",
        fatalities="2",
        arrested="1",
        latitude="19.0",
        longitude="-99.1",
        cve_ent="09",
    )
    findings = summary_counts(frame_of(planted, filled))
    assert [(f.incident_ids, f.field) for f in findings] == [
        (("tuxpan",), "fatalities"),
        (("tuxpan",), "arrested"),
    ]
    assert "two suspects were killed" in findings[0].value


def test_blockade_record_counts_one_when_empty(frame_of):
    one = incident_row(incident_id="one", blockades="", summary="A blockade closed the road.")
    two = incident_row(
        incident_id="two",
        blockades="",
        summary="Two blockades closed the road.",
        latitude="19.0",
        longitude="-99.1",
        cve_ent="09",
    )
    findings = summary_counts(frame_of(one, two))
    assert [(f.incident_ids, f.field) for f in findings] == [(("two",), "blockades")]


def test_official_statements_are_not_checked(frame_of):
    statement = incident_row(
        event_type="official_statement",
        blockades="",
        summary="The cabinet reported 62 deaths and 70 arrests.",
    )
    assert summary_counts(frame_of(statement)) == []


def test_no_false_positive_on_bundled_summaries_with_counts(bundle):
    """Every bundled record whose count fields are filled in passes: the phrases the
    check reads as counts are the ones the fields hold."""
    frame = bundle.incidents
    filled = frame[frame[["fatalities", "injured", "arrested"]].notna().any(axis=1)]
    assert len(filled) > 30
    flagged = {f.incident_ids[0] for f in summary_counts(filled)}
    assert flagged <= {"jal-tuxpan-clash-0225"}  # the defect issue 11 names, until fixed


# ------------------------------------------------------------------ blockade tallies


def test_a_tally_on_a_burning_is_found_and_real_counts_are_not(frame_of):
    """Issue 19: a municipality's tally of all events (15) kept in `blockades` of a
    burning is found; a burning that made one blockade, a blockade record standing for
    four, and a burning without a count are not."""
    tally = incident_row(incident_id="tally", event_type="vehicle_arson", blockades="15")
    one = dict(tally, incident_id="one", blockades="1")
    four = incident_row(incident_id="four", blockades="4", summary="Four blockades cut the road.")
    none = dict(tally, incident_id="none", blockades="")
    findings = blockade_tallies(frame_of(tally, one, four, none))
    assert [(f.incident_ids, f.field, f.value) for f in findings] == [
        (("tally",), "blockades", "15")
    ]
    assert "vehicle_arson record counts 15 blockades" in findings[0].detail
    assert "road blockades only" in findings[0].detail
    assert findings[0].detail_in("es") != findings[0].detail  # translated


@pytest.mark.parametrize("kind", ["armed_clash", "business_arson", "official_statement", "other"])
def test_a_tally_is_found_on_every_type_but_blockade(frame_of, kind):
    row = incident_row(event_type=kind, blockades="2", summary="A test event.")
    assert [f.check for f in blockade_tallies(frame_of(row))] == ["blockade_tallies"]


def test_a_tally_in_a_users_file_is_a_problem_at_its_line(bundle):
    """The smallest file that shows it: a header and two records, the second a burning
    carrying a tally; `validate` reports it at line 3, field `blockades`."""
    from dashboard.analysis.quality import quality_report

    data = to_csv(
        [
            incident_row(incident_id="road", blockades="2", summary="Two blockades closed it."),
            incident_row(
                incident_id="burnings",
                event_type="vehicle_arson",
                blockades="11",
                summary="Buses were burned.",
                latitude="20.55",
                longitude="-103.44",
            ),
        ]
    )
    frame, report = validate_incidents(data, "mine.csv", bundle.locations, bundle.states)
    assert report.ok, report.to_text()
    found = quality_report(frame, "mine.csv", data, "warning").problems
    assert [(p.row, p.field, p.value) for p in found] == [(3, "blockades", "11")]
    assert found[0].reason.startswith("blockade_tallies [burnings]: a vehicle_arson record")


def test_the_bundled_tallies_are_gone_and_would_be_errors(bundle):
    """The four records issue 19 names no longer carry a tally; put one back and the
    bundled data fails `python -m dashboard validate` at that record's line."""
    from dataclasses import replace

    from dashboard.analysis.quality import bundle_quality_report

    frame = bundle.incidents
    named = ["jal-zap-burned-vehicles", "jal-gdl-burned-vehicles", "jal-tonala-burnings"]
    named.append("jal-tlajomulco-attacks")
    assert frame.set_index("incident_id").loc[named, "blockades"].fillna(0).max() <= 1
    assert blockade_tallies(frame) == []
    back = frame["incident_id"] == "jal-zap-burned-vehicles"
    planted = replace(bundle, incidents=frame.assign(blockades=frame["blockades"].mask(back, 15)))
    problems = [p for p in bundle_quality_report(planted).problems if p.field == "blockades"]
    assert len(problems) == 1 and problems[0].severity == "error"
    assert "jal-zap-burned-vehicles" in problems[0].reason and problems[0].value == "15"
    lines = (ROOT / "geodata" / "incidents.csv").read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines, 1) if line.startswith("jal-zap-burned-vehicles,"))
    assert problems[0].row == at


# ------------------------------------------------------------------ duplicates


def test_duplicates_same_type_near_and_overlapping(frame_of):
    first = incident_row(incident_id="x1", start="2026-02-22T10:10-06:00", time_precision="minute")
    near = incident_row(incident_id="x2", latitude="20.6800", longitude="-103.3500")  # ~450 m
    far = incident_row(incident_id="x3", latitude="20.7000", longitude="-103.3475")  # ~2.6 km
    other_type = incident_row(incident_id="x4", event_type="vehicle_arson", blockades="")
    later = incident_row(incident_id="x5", start="2026-02-22T13:00-06:00")
    findings = duplicates(frame_of(first, near, far, other_type, later))
    assert [f.incident_ids for f in findings] == [("x1", "x2")]
    assert "m apart" in findings[0].detail


def test_a_capped_duplicate_check_says_it_stopped_and_where(frame_of):
    """Four records at one place make six pairs; capped at two, the check lists two and a
    last finding naming the record it had reached (it never stops silently)."""
    rows = [incident_row(incident_id=f"d{n}") for n in range(4)]
    findings = duplicates(frame_of(*rows), limit=2)
    assert [f.incident_ids for f in findings] == [("d0", "d1"), ("d0", "d2"), ("d0",)]
    assert "stopped after 2 pairs, at record d0" in findings[-1].detail
    assert len(duplicates(frame_of(*rows), limit=6)) == 6  # all of them: no note
    table = duplicates_table(frame_of(*rows), limit=2)
    assert table["other_id"].tolist()[:2] == ["d1", "d2"]
    assert table["detail"].iloc[-1].startswith("the duplicate check stopped after 2 pairs")


def test_duplicates_day_record_overlaps_a_timed_one(frame_of):
    timed = incident_row(incident_id="t")
    day = incident_row(incident_id="d", start="2026-02-22T00:00-06:00", time_precision="day")
    assert [f.incident_ids for f in duplicates(frame_of(timed, day))] == [("t", "d")]


@pytest.mark.parametrize(
    ("distinct_from", "reason", "found"),
    [
        ("", "", True),
        ("d", "", True),  # "t" names "d" but gives no reason
        ("d", "Two different stores, named in the source.", False),
        ("zzz", "Unrelated id.", True),
    ],
)
def test_duplicates_marked_distinct_with_reason(frame_of, distinct_from, reason, found):
    frame = frame_of(
        incident_row(incident_id="t"),
        incident_row(incident_id="d", start="2026-02-22T00:00-06:00", time_precision="day"),
    ).assign(distinct_from=[distinct_from, ""], distinct_reason=[reason, ""])
    assert bool(duplicates(frame)) is found


def test_state_only_records_are_not_duplicates(frame_of, bundle):
    state_only = bundle.locations[bundle.locations["geo_precision"] == 3].iloc[0]
    rows = [
        incident_row(
            incident_id=f"s{i}",
            location_id=state_only["location_id"],
            latitude="",
            longitude="",
            cve_ent="",
        )
        for i in range(2)
    ]
    assert duplicates(frame_of(*rows)) == []


# ------------------------------------------------------------------ unnamed_part_of_day


@pytest.mark.parametrize(
    ("summary", "notes", "word"),
    [
        ("A branch was set on fire in the evening.", "", "evening"),
        ("A store was set on fire in León in the early hours.", "", "early hours"),
        ("A blockade was reported.", "Según el reporte, ocurrió por la madrugada.", "madrugada"),
        ("A blockade was reported.", "Vecinos: desde la tarde.", "tarde"),
        ("Trucks were burned at night.", "", "night"),
    ],
)
def test_unnamed_part_of_day_found(frame_of, summary, notes, word):
    row = incident_row(
        start="2026-02-22T00:00-06:00", time_precision="part_of_day", summary=summary, notes=notes
    )
    findings = unnamed_part_of_day(frame_of(row))
    assert len(findings) == 1 and word in findings[0].detail


@pytest.mark.parametrize(
    ("precision", "part", "summary"),
    [
        ("part_of_day", "evening", "A branch was set on fire in the evening."),
        ("part_of_day", "", "A blockade was reported on the road."),
        ("part_of_day", "", "Trevilla told the morning press conference about the blockade."),
        ("day", "", "A blockade was reported in the morning."),
    ],
)
def test_unnamed_part_of_day_clean(frame_of, precision, part, summary):
    row = incident_row(
        start="2026-02-22T00:00-06:00", time_precision=precision, part_of_day=part, summary=summary
    )
    assert unnamed_part_of_day(frame_of(row)) == []


# ------------------------------------------------------------------ the bundled data


def test_bundled_data_passes_the_checks(bundle):
    from dashboard.analysis.quality import bundle_quality_report

    assert [str(p) for p in bundle_quality_report(bundle).problems] == []


def test_findings_in_the_bundled_data_are_validation_errors(bundle):
    """`python -m dashboard validate` exits 1 on any finding in the bundled data."""
    from dataclasses import replace

    from dashboard.analysis.quality import bundle_quality_report

    first = bundle.incidents.iloc[[0]].assign(source_url="https://archive.ph/AbC12")
    planted = replace(bundle, incidents=first)
    report = bundle_quality_report(planted)
    mirror = [p for p in report.problems if p.value == "https://archive.ph/AbC12"]
    assert len(mirror) == 1 and mirror[0].severity == "error" and not report.ok
    assert mirror[0].row == 2 and mirror[0].file == "geodata/incidents.csv"  # line 2: first record


def test_distinct_marks_travel_with_the_validated_frame(bundle):
    """`distinct_from`/`distinct_reason` in a user's file reach the checks through the
    validator's frame; a mark without a reason does not count."""
    from dashboard.analysis.quality import quality_report

    rows = [
        incident_row(incident_id="t", distinct_from="d", distinct_reason="Two stores."),
        incident_row(incident_id="d", distinct_from="", distinct_reason=""),
    ]
    data = to_csv(rows)
    frame, _ = validate_incidents(data, "f.csv", bundle.locations, bundle.states)
    assert not duplicates(frame)
    assert quality_report(frame, "f.csv", data, "error").ok
    unmarked = to_csv([dict(r, distinct_reason="") for r in rows])
    frame, _ = validate_incidents(unmarked, "f.csv", bundle.locations, bundle.states)
    report = quality_report(frame, "f.csv", unmarked, "error")
    assert [p.reason.split(":")[0] for p in report.errors] == ["duplicates [t, d]"]
    assert report.errors[0].row == 2  # the file line of the first record


# ------------------------------------------------------------------ the quality view


def test_outside_state_planted_and_clean(frame_of):
    inside = incident_row(incident_id="in")  # Guadalajara, declared Jalisco
    # In Jalisco, 4 km from Colima (within locate.DECLARED_TOLERANCE_KM: kept, warned)
    planted = incident_row(incident_id="out", cve_ent="06", latitude="19.5", longitude="-103.6")
    from dashboard.ingest.bundle import load_bundle

    states = load_bundle().states
    table = outside_state_table(frame_of(inside, planted), states)
    assert table["incident_id"].tolist() == ["out"]
    assert table.loc[0, "point_in"] == "Jalisco" and table.loc[0, "declared_state"] == "Colima"
    assert table.loc[0, "km_outside"] > 1


def test_duplicates_table_puts_the_evidence_side_by_side(frame_of):
    frame = frame_of(
        incident_row(incident_id="x1", summary="Trucks blocked the road."),
        incident_row(
            incident_id="x2",
            summary="A blockade on the same road.",
            source_url="https://example.org/other-report-123",
        ),
    )
    row = duplicates_table(frame).iloc[0]
    assert (row["incident_id"], row["other_id"]) == ("x1", "x2")
    assert (row["summary"], row["other_summary"]) == (
        "Trucks blocked the road.",
        "A blockade on the same road.",
    )
    assert row["other_source"] == "https://example.org/other-report-123"
    assert duplicates_table(frame_of(*clean_rows())).empty


def test_disputed_flagged_and_unflagged_with_figures(frame_of):
    frame = frame_of(
        incident_row(
            incident_id="flag",
            disputed="true",
            notes="Outlet A: 9 vehicles; Outlet B: 11. | Coords = town seat.",
        ),
        incident_row(
            incident_id="hint",
            notes="Counts differ between outlets.",
            latitude="19.0",
            longitude="-99.1",
            cve_ent="09",
        ),
        incident_row(
            incident_id="calm",
            notes="Coords = town seat, 2 km off.",
            latitude="19.5",
            longitude="-99.1",
            cve_ent="15",
        ),
    )
    table = disputed_table(frame).set_index("incident_id")
    assert sorted(table.index) == ["flag", "hint"]
    assert table.loc["flag", "competing_figures"] == "Outlet A: 9 vehicles; · Outlet B: 11."
    assert not table.loc["hint", "flagged"] and "differ" in table.loc["hint", "detail"]


def test_weak_sources(frame_of):
    frame = frame_of(
        incident_row(incident_id="one"),
        incident_row(
            incident_id="two",
            more_source_urls="https://example.com/b-c-d",
            latitude="19.0",
            longitude="-99.1",
            cve_ent="09",
        ),
        incident_row(
            incident_id="social",
            source_url="https://x.com/someone/status/123",
            more_source_urls="https://www.facebook.com/page/posts/456",
            latitude="19.5",
            longitude="-99.1",
            cve_ent="15",
        ),
        incident_row(
            incident_id="said",
            confidence="low",
            notes="Unconfirmed social-media report.",
            more_source_urls="https://example.com/b-c-d",
            latitude="21.0",
            longitude="-101.3",
            cve_ent="11",
        ),
    )
    kinds = weak_sources_table(frame).set_index("incident_id")["kind"].to_dict()
    assert kinds == {
        "one": "single source",
        "social": "social media only",
        "said": "social media only",
    }


def test_imprecise(frame_of, bundle):
    state_only = bundle.locations[bundle.locations["geo_precision"] == 3].iloc[0]["location_id"]
    frame = frame_of(
        incident_row(incident_id="exact"),
        incident_row(
            incident_id="day",
            start="2026-02-22T00:00-06:00",
            time_precision="day",
            latitude="19.0",
            longitude="-99.1",
            cve_ent="09",
        ),
        incident_row(
            incident_id="state", location_id=state_only, latitude="", longitude="", cve_ent=""
        ),
        incident_row(
            incident_id="evening",
            start="2026-02-22T00:00-06:00",
            time_precision="part_of_day",
            part_of_day="evening",
            latitude="19.5",
            longitude="-99.1",
            cve_ent="15",
        ),
    )
    table = imprecise_table(frame).set_index("incident_id")
    assert sorted(table.index) == ["day", "state"]
    assert table.loc["state", "detail"] == "place known only to the state"


def test_outlets_share_of_the_map(frame_of):
    frame = frame_of(
        incident_row(
            incident_id="a",
            source_url="https://www.informador.mx/a-b-c-1.html",
            source_outlet="El Informador",
        ),
        incident_row(
            incident_id="b",
            source_url="https://www.informador.mx/d-e-f-2.html",
            more_source_urls="https://www.proceso.com.mx/g-h-i-3.html",
            latitude="19.0",
            longitude="-99.1",
            cve_ent="09",
        ),
        incident_row(
            incident_id="c",
            source_url="https://www.proceso.com.mx/j-k-l-4.html",
            latitude="19.5",
            longitude="-99.1",
            cve_ent="15",
            source_outlet="Proceso",
        ),
        incident_row(
            incident_id="d",
            source_url="https://noroeste.com.mx/m-n-o-5.html",
            latitude="21.0",
            longitude="-101.3",
            cve_ent="11",
        ),
    )
    table = outlets_table(frame).set_index("outlet")
    assert table.index.tolist() == ["informador.mx", "proceso.com.mx", "noroeste.com.mx"]
    assert table.loc["informador.mx", ["records", "main_source", "only_source"]].tolist() == [
        2,
        2,
        1,
    ]
    assert table.loc["informador.mx", "share_of_map"] == 50.0
    assert table.loc["proceso.com.mx", "incident_ids"] == "b c"


def test_quality_tables_of_a_clean_fixture_are_empty(frame_of, bundle):
    rows = [dict(r, more_source_urls="https://example.com/second-source-1") for r in clean_rows()]
    rows[2]["more_source_urls"] = "https://example.com/second-source-2"
    tables = quality.quality_tables(frame_of(*rows), bundle.states)
    assert list(tables) == list(quality.QUALITY_VIEWS)
    nonempty = {name for name, table in tables.items() if not table.empty}
    assert nonempty == {"outlets"}  # the outlets table lists every outlet, always


def test_a_chosen_row_names_the_record_to_show():
    pairs = pd.DataFrame({"incident_id": ["a", "b"], "other_id": ["c", "d"]})
    assert quality.record_at(pairs, [1]) == "b"
    assert quality.record_at(pairs, []) is None and quality.record_at(pairs, [5]) is None
    outlets = pd.DataFrame({"outlet": ["x.mx"], "incident_ids": ["q r"]})
    assert quality.record_at(outlets, [0]) == "q"


def test_official_counts_links_are_checked_too():
    from dashboard.analysis.quality_files import official_links_report

    data = (
        b"reported_at,scope,metric,value,source_url\n"
        b"2026-02-22T20:00-06:00,national,blockades_reported,252,https://example.org/a-b-c-1\n"
        b"2026-02-23T00:00-06:00,national,criminals_killed,34,"
        b"https://gorjpress.ro/index.php/externe?page=32\n"
    )
    report = official_links_report(data)
    assert [(p.row, p.field, p.severity) for p in report.problems] == [(3, "source_url", "error")]
    assert "national criminals_killed 2026-02-23" in report.problems[0].reason


def test_duplicates_of_a_hostile_file_are_bounded(frame_of):
    """600 records at one place and hour are 179,700 pairs: only the first `limit` are
    built, so a hostile upload cannot make the check quadratic in time or memory."""
    frame = frame_of(*(incident_row(incident_id=f"x{i}") for i in range(600)))
    pairs = duplicate_pairs(frame, limit=50)
    assert len(pairs) == 50
    assert all(i < j for i, j, _ in pairs)
    assert len(duplicate_pairs(frame.head(20), limit=1_000)) == 190  # 20 choose 2


def test_acled_imports_are_judged_by_the_outlets_they_name(bundle):
    """ACLED gives outlet names, not links: a record naming two outlets is not single-
    source, the outlets table counts names, and week precision counts as imprecise."""
    from pathlib import Path

    data = (Path(__file__).parent / "data" / "acled_export.csv").read_bytes()
    frame, _ = validate_incidents(data, "acled.csv", bundle.locations, bundle.states)
    weak = weak_sources_table(frame).set_index("incident_id")
    assert "MEX90001" not in weak.index  # Example Outlet A; Example Outlet B
    assert weak.loc["MEX90002", "detail"] == "single source (Example Outlet C)"
    outlets = outlets_table(frame).set_index("outlet")
    assert outlets.loc["Example Outlet A", "records"] == 1
    assert outlets.loc["Example Outlet C", "only_source"] == 1
    imprecise = imprecise_table(frame).set_index("incident_id")
    assert imprecise.loc["MEX90002", "detail"] == "time known only to the week"


# ------------------------------------------------------------------ the registry


def planted_rows() -> list[dict]:
    """One planted case per check that `validate` runs on incident records: a new check
    adds its row here, and the tests below follow it through the registry."""
    return [
        incident_row(incident_id="mirror", source_url="https://archive.ph/AbC12"),  # links
        incident_row(
            incident_id="count",
            event_type="armed_clash",
            blockades="",
            summary="Two suspects were killed.",
            latitude="19.43",
            longitude="-99.13",
            cve_ent="09",
        ),  # summary_counts
        incident_row(incident_id="twin", source_url="https://example.org/other-report-1"),
        incident_row(
            incident_id="evening",
            start="2026-02-22T00:00-06:00",
            time_precision="part_of_day",
            blockades="",
            event_type="business_arson",
            summary="A store was set on fire in the evening.",
            latitude="21.0",
            longitude="-101.7",
            cve_ent="11",
        ),  # unnamed_part_of_day
        incident_row(
            incident_id="tally",
            event_type="vehicle_arson",
            blockades="11",
            summary="Buses were burned.",
            latitude="20.55",
            longitude="-103.44",
        ),  # blockade_tallies
        incident_row(
            incident_id="twofigures",
            notes="4 or 5 vehicles burned.",
            latitude="21.88",
            longitude="-102.29",
            cve_ent="01",
        ),  # disputed
        incident_row(
            incident_id="town",
            start="2026-02-22T00:00-06:00",
            time_precision="day",
            municipality="Cihuatlán",
            place="Cihuatlán",
            latitude="19.2372",
            longitude="-104.5683",
        ),
        incident_row(
            incident_id="junction",
            start="2026-02-22T00:00-06:00",
            time_precision="day",
            municipality="Cihuatlán",
            place="Crucero de Melaque",
            latitude="19.2219",
            longitude="-104.7003",
        ),  # "town" and "junction": related_duplicates
        incident_row(
            incident_id="morningtext",
            start="2026-02-22T00:00-06:00",
            time_precision="day",
            notes="Blocked in the morning.",
            latitude="22.15",
            longitude="-100.98",
            cve_ent="24",
        ),  # unstated_time
        incident_row(
            incident_id="sure",
            confidence="high",
            start="2026-02-24T10:30-06:00",
            latitude="19.29",
            longitude="-99.65",
            cve_ent="15",
        ),  # confidence
    ]  # "mirror" and "twin": duplicates


def test_registry_keys_titles_and_severities():
    keys = [check.key for check in quality.CHECKS]
    assert len(keys) == len(set(keys)) and set(quality.CHECKS_BY_KEY) == set(keys)
    assert list(quality.QUALITY_VIEWS) == [c.key for c in quality.CHECKS if c.in_view]
    pot = (ROOT / "dashboard" / "locale" / "messages.pot").read_text(encoding="utf-8")
    for check in quality.CHECKS:
        assert f'msgid "{check.title}"' in pot, check.key  # a catalogue entry
        assert check.finds, check.key
        assert check.bundled in (None, "error", "warning") and check.user in (None, "warning")
        runs = check.find is not None or check.other_files is not None
        assert runs or not (check.bundled or check.user), check.key  # runs where it says
        assert check.user is None or check.find is not None, check.key


def test_every_validation_check_reaches_validate_the_tables_and_the_cli(frame_of):
    """Each check `validate` runs finds its planted row, as a problem at its line with the
    registry's severity for a user's file, in its quality table, and in the CLI's text."""
    rows = planted_rows()
    data = to_csv(rows)
    frame = frame_of(*rows)
    running = [c for c in quality.CHECKS if c.find is not None and (c.bundled or c.user)]
    assert {f.check for f in quality.validation_findings(frame)} == {c.key for c in running}
    report = quality.quality_report(frame, "mine.csv", data)
    tables = quality.quality_tables(frame)
    text = quality.quality_text(tables)
    for check in running:
        problems = [p for p in report.problems if p.reason.startswith(f"{check.key} [")]
        assert problems and {p.severity for p in problems} == {check.user}, check.key
        assert all(p.row and p.row >= 2 for p in problems), check.key
        assert not tables[check.key].empty, check.key
        assert f"\n{check.key}: " in text, check.key


def test_readme_lists_the_registry():
    """The README's table of data checks names exactly those run on both kinds of data,
    and the README names every check."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("**data checks**")
    table = readme[start : readme.index("\n\n", readme.index("| check |", start))]
    listed = {line.split("`")[1] for line in table.splitlines() if line.startswith("| `")}
    assert listed == {c.key for c in quality.CHECKS if c.bundled and c.user}
    for check in quality.CHECKS:
        assert f"`{check.key}`" in readme, check.key


def test_tables_in_view_keep_the_records_in_view(frame_of):
    """A pair's row needs both records in view; the outlets table is built again from the
    records in view (its shares are of the view); the others keep their records' rows."""
    frame = frame_of(*planted_rows())
    tables = quality.quality_tables(frame)
    selected = frame[frame["incident_id"].isin(["mirror", "tally"])]
    narrowed = quality.tables_in_view(tables, selected)
    assert list(narrowed) == list(tables)
    assert narrowed["duplicates"].empty  # "twin" is not in view
    assert narrowed["non_article_links"]["incident_id"].tolist() == ["mirror"]
    assert narrowed["blockade_tallies"]["incident_id"].tolist() == ["tally"]
    assert narrowed["outlets"]["records"].sum() == len(selected)
    assert narrowed["outlets"]["share_of_map"].tolist() == [50.0, 50.0]  # of the view
    assert tables["outlets"]["share_of_map"].tolist() == [90.0, 10.0]  # of every record
