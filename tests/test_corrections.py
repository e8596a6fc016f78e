"""The corrections log: bad input, applying it, and the bundled data it corrected."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dashboard.ingest.corrections import (
    CorrectionError,
    apply_corrections,
    describe,
    load_corrections,
    log_entries,
    official_key,
    read_corrections,
    record_label,
)
from dashboard.model import bundled_files

GEODATA = bundled_files.GEODATA
HEADER = "date,record,field,old_value,new_value,reason,source_url\n"
SOURCE = "https://example.org/article-1"


def corrections(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ("2026-11-29,a,disputed,false,true,flag,javascript:alert(1)", "source_url", "http"),
        ("2026-11-29,a,disputed,false,true,flag,example.org/x", "source_url", "http"),
        (f"29/11/2026,a,disputed,false,true,flag,{SOURCE}", "date", "YYYY-MM-DD"),
        (f"2026-11-29,a,disputed,false,true,,{SOURCE}", "reason", "empty"),
        (f"2026-11-29,,disputed,false,true,flag,{SOURCE}", "record", "empty"),
        (f"2026-11-29,a,disputed,true,true,flag,{SOURCE}", "new_value", "old value"),
        (f"2026-11-29,a,record,published,deleted,gone,{SOURCE}", "new_value", "withdrawn"),
    ],
)
def test_a_bad_row_is_reported_with_its_field_and_the_good_rows_kept(row, field, reason):
    good = f"2026-11-29,b,fatalities,,2,count,{SOURCE}"
    rows, report = read_corrections(corrections(good, row), "corrections.csv")
    assert [(r.record, r.row) for r in rows] == [("b", 2)]  # file lines: header = line 1
    [problem] = report.problems
    assert (problem.file, problem.row, problem.field) == ("corrections.csv", 3, field)
    assert reason in problem.reason


def test_a_missing_column_is_named():
    data = b"date,record,field,old_value,new_value,reason\n2026-11-29,a,x,1,2,r\n"
    rows, report = read_corrections(data, "corrections.csv")
    assert rows == []
    assert [(p.field, p.reason) for p in report.problems] == [
        ("source_url", "required column is missing")
    ]


def test_a_header_only_log_is_empty_not_an_error(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_text(HEADER, encoding="utf-8")
    absent = load_corrections(tmp_path / "absent.csv")
    assert load_corrections(path)[0] == [] == absent[0]
    assert load_corrections(path)[1].problems == [] == absent[1].problems


def apply(rows: list[str], records: dict, additions: dict | None = None) -> dict:
    parsed, report = read_corrections(corrections(*rows), "corrections.csv")
    assert report.ok, report.to_text()
    return apply_corrections(records, parsed, "corrections.csv", additions)


def test_an_old_value_that_no_longer_matches_stops_the_build():
    records = {"a": {"fatalities": "3"}}
    with pytest.raises(CorrectionError, match=r"line 2, record 'a', field 'fatalities'.*'2'.*'3'"):
        apply([f"2026-11-29,a,fatalities,2,4,count,{SOURCE}"], records)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"2026-11-29,zz,fatalities,,1,count,{SOURCE}", "no such record"),
        (f"2026-11-29,a,casualties,,1,count,{SOURCE}", "no field 'casualties'"),
        (f"2026-11-29,a,record,published,merged into nowhere,dup,{SOURCE}", "unknown record"),
        (f"2026-11-29,new,record,,added,new,{SOURCE}", "no such record among the additions"),
        (f"2026-11-29,a,record,,added,again,{SOURCE}", "already exists"),
    ],
)
def test_a_correction_that_cannot_apply_says_why(row, message):
    records = {"a": {"fatalities": "", "source_url": SOURCE, "more_source_urls": ""}}
    with pytest.raises(CorrectionError, match=message):
        apply([row], records)


def test_a_merge_must_carry_every_source_over():
    def records() -> dict:
        return {
            "a": {"source_url": "https://x.org/1", "more_source_urls": "https://x.org/2"},
            "b": {"source_url": "https://y.org/1", "more_source_urls": ""},
        }

    merge = f"2026-11-29,a,record,published,merged into b,same event,{SOURCE}"
    with pytest.raises(CorrectionError, match=r"without its sources https://x.org/1"):
        apply([merge], records())
    move = f"2026-11-29,b,more_source_urls,,https://x.org/1 https://x.org/2,same event,{SOURCE}"
    kept = records()
    assert list(apply([move, merge], kept)) == ["a"]
    assert list(kept) == ["b"]


def test_an_addition_needs_its_correction():
    with pytest.raises(CorrectionError, match="additions without an 'added' correction: new"):
        apply([], {}, {"new": {"summary": "x"}})
    records: dict = {}
    apply([f"2026-11-29,new,record,,added,new source,{SOURCE}"], records, {"new": {"s": "x"}})
    assert records == {"new": {"s": "x"}}


def test_corrections_chain_in_file_order():
    records = {"a": {"disputed": "false"}}
    apply(
        [
            f"2026-11-29,a,disputed,false,true,conflict,{SOURCE}",
            f"2026-11-30,a,disputed,true,false,resolved,{SOURCE}",
        ],
        records,
    )
    assert records["a"]["disputed"] == "false"


def test_the_log_groups_by_record_and_reason_newest_first():
    rows, _ = read_corrections(
        corrections(
            f"2026-11-29,a,fatalities,,2,count,{SOURCE}",
            f"2026-11-29,a,arrested,,1,count,{SOURCE}",
            f"2026-12-01,b,record,published,withdrawn,no source,{SOURCE}",
        ),
        "c.csv",
    )
    entries = log_entries(rows)
    assert [(e.date, e.record) for e in entries] == [("2026-12-01", "b"), ("2026-11-29", "a")]
    assert entries[1].changes == ("Fatalities: (empty) → “2”", "Arrested: (empty) → “1”")
    assert entries[0].changes == ("Record withdrawn",)
    assert describe(rows[0]) == "Fatalities: (empty) → “2”"
    key = official_key(
        {
            "reported_at": "2026-02-23T00:00-06:00",
            "scope": "Jalisco",
            "metric": "arrests",
            "reported_by": "FGE",
        }
    )
    assert record_label(key) == "Official figure: Jalisco, arrests (FGE, 2026-02-23)"
    assert record_label("jal-funeral") == "jal-funeral"
    moment = "key_moment: 2026-02-22T10:45-06:00"
    assert record_label(moment) == "Key moment: 2026-02-22 10:45"
    assert record_label(moment, "es") == "Momento clave: 2026-02-22 10:45"


# ---------------------------------------------------------------- the bundled data

BUNDLED, BUNDLED_REPORT = load_corrections(GEODATA / "corrections.csv")
INCIDENTS = {r["incident_id"]: r for r in read_rows(GEODATA / "incidents.csv")}
OFFICIAL = {official_key(r): r for r in read_rows(GEODATA / "official_counts.csv")}


def test_the_bundled_log_is_valid_and_dated():
    assert BUNDLED_REPORT.problems == []
    assert len(BUNDLED) >= 100


KEY_MOMENTS = {"key_moment: " + r["at"]: r for r in read_rows(GEODATA / "key_moments.csv")}


def _place_of(incident_id: str) -> dict[str, str]:
    """A record's place fields as the research pack names them (the log's field names)."""
    location = INCIDENTS[incident_id]["location_id"]
    site = json.loads((GEODATA / "locations.geojson").read_text(encoding="utf-8"))
    feature = next(f for f in site["features"] if f["properties"]["location_id"] == location)
    lon, lat = feature["geometry"]["coordinates"]
    p = feature["properties"]
    return {
        "place": p["place"],
        "municipality": p["municipality"],
        "latitude": f"{lat:.4f}",
        "longitude": f"{lon:.4f}",
        "geo_precision": str(p["geo_precision"]),
    }


def test_every_bundled_correction_is_in_the_data():
    """The last value a correction gives each field is the value the data has: incidents,
    official figures, key moments, and a record's place (municipality, point)."""
    last: dict[tuple[str, str], str] = {}
    for c in BUNDLED:
        table = OFFICIAL if c.official else KEY_MOMENTS if c.key_moment else INCIDENTS
        if c.kind in ("withdrawn", "merged"):
            assert c.record not in table, c
            if c.merged_into:
                assert c.merged_into in INCIDENTS, c
        elif c.kind == "added":
            assert c.record in table, c
        else:
            last[(c.record, c.field)] = c.new_value
    for (record, field), value in last.items():
        if record.startswith("official: "):
            row = OFFICIAL[record]
        elif record.startswith("key_moment: "):
            row = KEY_MOMENTS[record]
        elif field in ("place", "municipality", "latitude", "longitude", "geo_precision"):
            row = _place_of(record)
        else:
            row = INCIDENTS[record]
        assert row[field] == value, (record, field)
    assert any(c.key_moment for c in BUNDLED)  # the log covers the key moments


NOT_AN_ARTICLE = (
    "admin.",
    "adminqr.",
    "editor80.com",
    "azurewebsites.net",
    "staging",
    "esrt.space",
    "gorjpress.ro",
    "newssummedup.com",
)


def all_links() -> list[tuple[str, str]]:
    links = []
    for r in INCIDENTS.values():
        links += [(r["incident_id"], u) for u in [r["source_url"], *r["more_source_urls"].split()]]
    links += [(key, r["source_url"]) for key, r in OFFICIAL.items()]
    links += [("key moment", r["source_url"]) for r in read_rows(GEODATA / "key_moments.csv")]
    site = json.loads((GEODATA / "operation_site.geojson").read_text(encoding="utf-8"))
    for feature in site["features"]:
        p = feature["properties"]
        links += [("site", u) for u in [p["source_url"], *p["more_source_urls"].split()]]
    return links


def test_no_source_link_is_a_cms_staging_mirror_or_listing_page():
    for record, url in all_links():
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https"), (record, url)
        assert not any(bad in parts.netloc for bad in NOT_AN_ARTICLE), (record, url)
        assert "/page/" not in parts.path and "page=" not in parts.query, (record, url)
        assert "doing_wp_cron" not in parts.query and "utm_" not in parts.query, (record, url)


def test_flags_are_explicit_and_every_record_was_reviewed():
    review = {r["record"]: r for r in read_rows(GEODATA / "review.csv")}
    for incident_id, r in INCIDENTS.items():
        assert r["disputed"] in ("true", "false")
        assert incident_id in review
        assert r["distinct_reason"].strip() or not r["distinct_from"].strip()
    for r in OFFICIAL.values():
        assert r["disputed"] in ("true", "false")
    assert all(key in review for key in OFFICIAL)


@pytest.mark.parametrize(
    ("record", "field", "value"),
    [
        ("jal-tuxpan-clash-0225", "fatalities", "2"),
        ("jal-tuxpan-clash-0225", "arrested", "1"),
        ("tam-camargo-toll", "event_type", "other"),
        ("jal-tapalpa-gn-killed", "disputed", "true"),
        ("hgo-jorobas-tula", "disputed", "true"),
        ("mor-miacatlan", "disputed", "true"),
        ("jal-pv-semar-8-arrests", "disputed", "true"),
        ("jal-elarenal-0223", "disputed", "true"),
        ("jal-juanacatlan-0223", "disputed", "true"),
        ("nat-gabinete-1400", "disputed", "true"),
        ("jal-funeral", "disputed", "true"),
        ("jal-zap-las-canadas-clash", "disputed", "true"),
        ("mex-axapusco-bdb", "part_of_day", "evening"),
        ("mich-aguililla-sedena-attack", "part_of_day", "night"),
        ("sin-tecualilla", "part_of_day", "afternoon"),
        ("gto-leon-0223", "part_of_day", "early_morning"),
        ("jal-ocotlan-toll-0223", "part_of_day", "morning"),
        ("oax-juchitan-reforma", "start", "2026-02-22T09:20-06:00"),
        ("oax-juchitan-reforma", "end", "2026-02-22T11:30-06:00"),
        ("mich-aguililla-0222", "time_precision", "part_of_day"),
        ("mich-aguililla-0222", "part_of_day", "evening"),
    ],
)
def test_the_defects_of_the_independent_check_are_corrected(record, field, value):
    assert INCIDENTS[record][field] == value


def test_double_counted_records_are_merged():
    for gone in ("jal-gdl-alcalde-blockade", "gro-acapulco-fge-shots", "jal-gdl-macrobus-station"):
        assert gone not in INCIDENTS
    assert any(c.record == "jal-gdl-alcalde-blockade" and c.kind == "merged" for c in BUNDLED)


def test_both_sides_of_an_official_disagreement_are_flagged():
    def flags(scope, metric):
        rows = [r for r in OFFICIAL.values() if (r["scope"], r["metric"]) == (scope, metric)]
        return {r["value"]: r["disputed"] for r in rows}

    assert flags("Jalisco", "additional_federal_troops") == {"2500": "true", "2000": "true"}
    assert flags("Michoacán", "attacks_on_authorities") == {"13": "true", "3": "true"}
    assert flags("Michoacán", "bienestar_branches_attacked") == {"23": "true", "25": "true"}
    assert set(flags("Tamaulipas", "blockades_reported").values()) == {"true"}
    raid = {"fatalities_raid", "criminals_killed_at_cabins", "criminals_killed_raid"}
    assert {r["disputed"] for r in OFFICIAL.values() if r["metric"] in raid} == {"true"}


def test_a_new_correction_changes_the_data_version(tmp_path):
    for path in bundled_files.DATA_FILES:
        shutil.copy(path, tmp_path / path.name)
    files = bundled_files.data_files(tmp_path)
    before = bundled_files.data_version(files)
    log = tmp_path / "corrections.csv"
    log.write_text(
        log.read_text(encoding="utf-8")
        + f"2026-12-01,jal-funeral,confidence,high,medium,test,{SOURCE}\n",
        encoding="utf-8",
    )
    assert bundled_files.data_version(files) != before


TALLY_SOURCE = (
    "https://www.informador.mx/jalisco/el-mencho-reportan-mas-60-bloqueos-quemas-y-ataques-"
    "con-armas-en-la-zmg-tras-su-detencion-hay-11-detenidos-20260222-0142.html"
)


@pytest.mark.parametrize(
    ("record", "tally", "blockades"),
    [
        ("jal-zap-burned-vehicles", "15", ""),
        ("jal-gdl-burned-vehicles", "13", "1"),  # the Paseo Alcalde blockade merged into it
        ("jal-tonala-burnings", "15", ""),
        ("jal-tlajomulco-attacks", "11", ""),
        ("jal-elsalto-blockades", "3", ""),  # a blockade record: counts as one
        ("jal-tlaquepaque-blockades", "4", ""),
    ],
)
def test_metro_area_event_tallies_are_not_blockade_counts(record, tally, blockades):
    """Issue 19: El Informador's per-municipality tally of events (blockades, burnings and
    armed attacks together) left `blockades` for the notes, through the log, sourced."""
    assert INCIDENTS[record]["blockades"] == blockades
    notes = INCIDENTS[record]["notes"]
    assert f" {tally} of more than 60 events" in notes and "blockade_count" not in notes
    rows = [c for c in BUNDLED if c.record == record and c.field == "blockades"]
    assert [(c.date, c.old_value, c.new_value) for c in rows] == [("2026-12-07", tally, blockades)]
    assert rows[0].source_url == TALLY_SOURCE and rows[0].reason_es


PV = "Jalisco (Puerto Vallarta)"


@pytest.mark.parametrize(
    ("record", "field", "value"),
    [
        ("nl-general-bravo", "disputed", "true"),
        ("nl-general-bravo", "part_of_day", "morning"),
        ("tam-reynosa-aquiles-serdan", "disputed", "true"),
        ("tam-reynosa-aquiles-serdan", "time_precision", "part_of_day"),
        ("oax-juchitan-reforma", "disputed", "true"),
        ("jal-pv-businesses", "disputed", "true"),
        (
            "mich-ecuandureo-night",
            "distinct_from",
            "mich-ecuandureo-toll-0223 mich-ecuandureo-nopalera",
        ),
        ("mex-chalco-huixtoco", "distinct_from", "pue-tlahuapan-km79"),
        ("mich-vistahermosa-toll-0223", "part_of_day", "morning"),
        ("ags-loscanos", "part_of_day", "midday"),
        ("mich-uruapan", "part_of_day", "night"),
        ("mich-chilchota", "part_of_day", "morning"),
        ("mich-coalcoman-0223", "part_of_day", "morning"),
        ("sin-rio-presidio-bridge", "part_of_day", "midday"),
        ("tam-miguelaleman-venecia", "end", "2026-02-22T13:00-06:00"),
        ("gto-capital-teatro", "part_of_day", "morning"),
        (
            "jal-tepatitlan",
            "summary",
            "Public transport was suspended in Tepatitlán on 22 February.",
        ),
        ("jal-tepatitlan-toll-0223", "start", "2026-02-23T06:00-06:00"),
        ("jal-lajoya-0223", "part_of_day", "morning"),
        ("jal-melaque-crucero", "confidence", "high"),
    ],
)
def test_the_instances_of_issue_21_are_corrected(record, field, value):
    assert INCIDENTS[record][field] == value
    assert any(c.record == record and c.date == "2026-12-07" and c.reason_es for c in BUNDLED)


def test_issue_21_merges_flags_and_places():
    assert "jal-cihuatlan-0222" not in INCIDENTS
    merged = [c for c in BUNDLED if c.record == "jal-cihuatlan-0222"]
    assert [c.merged_into for c in merged] == ["jal-melaque-crucero"]
    flags = {(r["scope"], r["metric"], r["value"]): r["disputed"] for r in OFFICIAL.values()}
    assert flags[(PV, "vehicles_burned", "200")] == flags[(PV, "vehicles_burned", "300")] == "true"
    assert flags[("Sinaloa", "vehicles_burned", "2")] == "true"
    assert flags[("Jalisco", "blockades_reported", "65")] == "true"
    site = json.loads((GEODATA / "locations.geojson").read_text(encoding="utf-8"))["features"]
    qroo = next(
        f
        for f in site
        if f["properties"]["location_id"] == INCIDENTS["qroo-deployment"]["location_id"]
    )
    assert qroo["properties"]["municipality"] == "Othón P. Blanco"  # the capital, Chetumal
    assert qroo["geometry"]["coordinates"] == [-88.3, 18.5]


def test_no_record_resting_on_one_outlet_is_rated_high():
    """geodata/README.md: one outlet (link host, without www.) is never `high`."""
    for incident_id, r in INCIDENTS.items():
        hosts = {
            urlsplit(u).hostname.removeprefix("www.")
            for u in [r["source_url"], *r["more_source_urls"].split()]
        }
        assert r["confidence"] != "high" or len(hosts) >= 2, incident_id


def test_every_distinct_mark_is_in_the_log():
    """Issue 21: the distinct marks were all made after publication, so they live in the
    log (review.csv keeps the records as first published, with none)."""
    review = read_rows(GEODATA / "review.csv")
    assert not [r["record"] for r in review if r["distinct_from"] or r["distinct_reason"]]
    logged = {c.record for c in BUNDLED if c.field == "distinct_from"}
    assert {i for i, r in INCIDENTS.items() if r["distinct_from"]} <= logged
