"""geodata/build_incidents.py on a two-row research pack: review, corrections, Spanish."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location(
    "build_incidents", ROOT / "geodata/build_incidents.py"
)
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)

RESEARCH_COLUMNS = (
    "id,date,time_local,time_precision,state,municipality,place,latitude,longitude,"
    "geo_precision,event_type,blockade_count,fatalities,injured,arrested,summary,source_url,"
    "source_name,source_date,confidence,notes"
)
RAID = (
    "jal-tapalpa-raid,2026-02-22,,part_of_day,Jalisco,Tapalpa,Cabins,19.95,-103.76,2,raid,"
    ",7,3,2,A raid.,https://example.org/raid,Outlet,2026-02-22,high,Morning."
)
CLASH = (
    "jal-x,2026-02-25,,day,Jalisco,Tuxpan,Town,19.55,-103.37,2,armed_clash,,,,,"
    "Two suspects were killed.,https://example.org/x,Outlet,2026-02-25,medium,"
)
OFFICIAL = (
    "date,time_local,scope,metric,value,reported_by,source_url,notes\n"
    "2026-02-23,,Jalisco,additional_federal_troops,2500,Defensa,https://example.org/t,\n"
)
KEY = "official: 2026-02-23T00:00-06:00 | Jalisco | additional_federal_troops | Defensa"
REVIEW = (
    "record,disputed,part_of_day,distinct_from,distinct_reason\n"
    "jal-tapalpa-raid,true,morning,,\njal-x,false,,,\n" + KEY + ",false,,,\n"
)
LOG = "date,record,field,old_value,new_value,reason,source_url\n"


@pytest.fixture
def folders(tmp_path):
    research, out = tmp_path / "research", tmp_path / "geodata"
    research.mkdir()
    out.mkdir()
    (research / "incidents_2026-02.csv").write_text(
        f"{RESEARCH_COLUMNS}\n{RAID}\n{CLASH}\n", encoding="utf-8"
    )
    (research / "official_counts.csv").write_text(OFFICIAL, encoding="utf-8")
    (out / "review.csv").write_text(REVIEW, encoding="utf-8")
    return research, out


def run(research: Path, out: Path, log: str) -> dict[str, dict]:
    (out / "corrections.csv").write_text(LOG + log, encoding="utf-8")
    build.convert(research, out)
    with (out / "incidents.csv").open(encoding="utf-8") as f:
        return {r["incident_id"]: r for r in csv.DictReader(f)}


def test_flags_come_from_the_review_and_corrections_apply(folders):
    research, out = folders
    (out / "summary_es.csv").write_text(
        "incident_id,summary_es\njal-x,Dos sospechosos murieron.\n", encoding="utf-8"
    )
    rows = run(
        research,
        out,
        "2026-11-29,jal-x,fatalities,,2,count,https://example.org/x\n"
        f"2026-11-29,{KEY},disputed,false,true,2000 elsewhere,https://example.org/t\n",
    )
    assert rows["jal-tapalpa-raid"]["part_of_day"] == "morning"
    assert rows["jal-tapalpa-raid"]["start"] == "2026-02-22T06:00-06:00"
    assert rows["jal-tapalpa-raid"]["disputed"] == "true"
    assert rows["jal-x"]["fatalities"] == "2"
    assert rows["jal-x"]["summary_es"] == "Dos sospechosos murieron."
    official = (out / "official_counts.csv").read_text(encoding="utf-8")
    assert ",true," in official.splitlines()[1]
    site = json.loads((out / "operation_site.geojson").read_text(encoding="utf-8"))
    assert site["features"][0]["properties"]["incident_id"] == "jal-tapalpa-raid"


def test_a_stale_old_value_stops_the_build(folders):
    research, out = folders
    with pytest.raises(SystemExit, match=r"line 2, record 'jal-x', field 'fatalities'"):
        run(research, out, "2026-11-29,jal-x,fatalities,1,2,count,https://example.org/x\n")


def test_an_unreviewed_record_stops_the_build(folders):
    research, out = folders
    (out / "review.csv").write_text(REVIEW.replace("jal-x,false,,,\n", ""), encoding="utf-8")
    with pytest.raises(SystemExit, match="'jal-x' has not been reviewed"):
        run(research, out, "")


def test_a_withdrawn_record_leaves_no_place_behind(folders):
    research, out = folders
    rows = run(
        research,
        out,
        "2026-11-29,jal-x,record,published,withdrawn,no source,https://example.org/x\n",
    )
    assert list(rows) == ["jal-tapalpa-raid"]
    places = json.loads((out / "locations.geojson").read_text(encoding="utf-8"))["features"]
    assert [p["properties"]["municipality"] for p in places] == ["Tapalpa"]


def test_a_corrected_point_moves_the_record_to_a_new_place(folders):
    research, out = folders
    rows = run(
        research,
        out,
        "2026-12-07,jal-x,municipality,Tuxpan,Tonila,moved,https://example.org/x\n"
        "2026-12-07,jal-x,latitude,19.55,19.43,moved,https://example.org/x\n",
    )
    places = json.loads((out / "locations.geojson").read_text(encoding="utf-8"))["features"]
    moved = next(
        p for p in places if p["properties"]["location_id"] == rows["jal-x"]["location_id"]
    )
    assert moved["properties"]["municipality"] == "Tonila"
    assert moved["geometry"]["coordinates"] == [-103.37, 19.43]
    assert len(places) == 2  # the old place, now unused, is gone
    assert "latitude" not in rows["jal-x"] and "municipality" not in rows["jal-x"]


def test_a_spanish_summary_can_be_corrected(folders):
    research, out = folders
    (out / "summary_es.csv").write_text("incident_id,summary_es\njal-x,Uno.\n", encoding="utf-8")
    rows = run(
        research, out, "2026-12-07,jal-x,summary_es,Uno.,Dos.,wording,https://example.org/x\n"
    )
    assert rows["jal-x"]["summary_es"] == "Dos."


MOMENTS = "at,time_precision,headline,source_url,source_outlet\n2026-02-22T10:45-06:00,minute,{},https://example.org/k,K\n"
MOMENT_FIX = "2026-12-07,key_moment: 2026-02-22T10:45-06:00,headline,At 10:45.,By 10:45.,post time,https://example.org/k\n"


@pytest.mark.parametrize(
    ("in_file", "log", "stops"),
    [
        ("By 10:45.", MOMENT_FIX, None),
        ("At 10:45.", MOMENT_FIX, "the log's last value is 'By 10:45.'"),
        ("By 10:45.", MOMENT_FIX + MOMENT_FIX, "old value is not the previous new value"),
        ("By 10:45.", MOMENT_FIX.replace("10:45-06:00,", "10:46-06:00,", 1), "no such key moment"),
        (
            "By 10:45.",
            MOMENT_FIX.replace(",headline,", ",headlines,"),
            "no such key moment or field",
        ),
    ],
)
def test_key_moments_are_checked_against_the_log(folders, in_file, log, stops):
    """key_moments.csv is edited by hand: the build checks it holds the log's last values."""
    research, out = folders
    (out / "key_moments.csv").write_text(MOMENTS.format(in_file), encoding="utf-8")
    if stops is None:
        run(research, out, log)
    else:
        with pytest.raises(SystemExit, match=re.escape(stops)):
            run(research, out, log)


def test_place_names_and_the_site_get_their_spanish_forms(folders):
    research, out = folders
    (out / "place_es.csv").write_text(
        "place,place_es\nCabins,Cabañas\nNo such place,Ninguno\n", encoding="utf-8"
    )
    run(research, out, "")
    places = json.loads((out / "locations.geojson").read_text(encoding="utf-8"))["features"]
    spanish = {p["properties"]["place"]: p["properties"]["place_es"] for p in places}
    assert spanish == {"Cabins": "Cabañas", "Town": ""}  # a name without one: empty
    site = json.loads((out / "operation_site.geojson").read_text(encoding="utf-8"))
    props = site["features"][0]["properties"]
    assert props["name_es"] == "Sitio del operativo en Tapalpa"
    assert props["description_es"].startswith("Zona aproximada")


def test_a_place_translated_twice_stops_the_build(folders):
    research, out = folders
    (out / "place_es.csv").write_text(
        "place,place_es\nCabins,Cabañas\nCabins,Cabañitas\n", encoding="utf-8"
    )
    with pytest.raises(SystemExit, match=r"line 3: place 'Cabins' listed twice"):
        run(research, out, "")


BUILT = ("incidents.csv", "locations.geojson", "operation_site.geojson", "official_counts.csv")
INPUTS = (
    "review.csv",
    "additions.csv",
    "corrections.csv",
    "summary_es.csv",
    "place_es.csv",
    "key_moments.csv",  # hand-edited; the build checks it against the log
)


@pytest.mark.skipif(
    not (build.DEFAULT_RESEARCH / "incidents_2026-02.csv").exists(),
    reason="the research pack (../shared/research) is not part of a clone",
)
def test_the_build_reproduces_the_bundled_files_byte_for_byte(tmp_path, capsys):
    """The committed build, run on the research pack and geodata's reviewed inputs,
    writes exactly the bundled files: no change to them bypasses corrections.csv."""
    geodata = ROOT / "geodata"
    for name in INPUTS:
        if (geodata / name).exists():
            (tmp_path / name).write_bytes((geodata / name).read_bytes())
    build.convert(build.DEFAULT_RESEARCH, tmp_path)
    assert "applied" in capsys.readouterr().out
    for name in BUILT:
        assert (tmp_path / name).read_bytes() == (geodata / name).read_bytes(), name
