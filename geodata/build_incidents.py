"""Build geodata/ from the research pack (../shared/research) and our reviewed inputs.

    python geodata/build_incidents.py [--research ../shared/research]

Writes locations.geojson (one point per reported place), operation_site.geojson (the
Tapalpa raid), incidents.csv (one row per reported event) and official_counts.csv.

Inputs besides the research pack, all in geodata/ and all edited by people:

- review.csv: per record (incident id or official key), the `disputed` flag and
  `part_of_day` as first published, set explicitly after reading the notes and summary
  (never inferred from keywords), and `distinct_from` / `distinct_reason` where two
  nearby, overlapping records of one type are nevertheless different events;
- additions.csv: records not in the research pack (research-pack columns);
- corrections.csv: every later change to a published record, applied in file order
  (dashboard/ingest/corrections.py); the build stops if a correction's old value is not the
  current one, so every change stays traceable. Besides the written fields, a correction may
  change `summary_es` (joined first) and a record's place (`place`, `municipality`,
  `latitude`, `longitude`, `geo_precision`: the record moves to a new place). Rows keyed
  `key_moment: <at>` are checked, not applied: key_moments.csv is edited by hand and must
  hold the last value the log gives each field;
- summary_es.csv (optional): Spanish summaries, joined as the `summary_es` column;
- place_es.csv (optional): the Spanish form of each place name that is an English
  description (`place`, `place_es`: "Toll booth near X" -> "Caseta de cobro cerca de X"),
  joined on the place as written, as the `place_es` property of locations.geojson
  (empty where the name is a proper noun and reads the same in both languages).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dashboard.ingest.corrections import (
    KEY_MOMENT_PREFIX,
    CorrectionError,
    apply_corrections,
    load_corrections,
    official_key,
)
from dashboard.ingest.research import PLACE_FIELDS, research_official, research_record
from dashboard.model.mexico import BY_CODE, state_by_name  # noqa: E402
from dashboard.model.schema import INCIDENT_COLUMNS, OFFICIAL_COLUMNS, PART_OF_DAY_SPANS

HERE = Path(__file__).resolve().parent
DEFAULT_RESEARCH = HERE.parent.parent / "shared" / "research"
RAID_ID = "jal-tapalpa-raid"
REVIEW_FILE = "review.csv"
ADDITIONS_FILE = "additions.csv"
CORRECTIONS_FILE = "corrections.csv"
SUMMARY_ES_FILE = "summary_es.csv"
PLACE_ES_FILE = "place_es.csv"
KEY_MOMENTS_FILE = "key_moments.csv"
# A record's place fields (PLACE_FIELDS, the research pack's columns) may be corrected:
# a corrected name, point or municipality moves the record to a new place.
REVIEW_COLUMNS = ("record", "disputed", "part_of_day", "distinct_from", "distinct_reason")
# Columns the build writes after the schema's: editorial marks and the Spanish summary.
EXTRA_INCIDENT_COLUMNS = ("distinct_from", "distinct_reason", "summary_es")


def slug(text: str) -> str:
    from dashboard.model.mexico import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_review(path: Path) -> dict[str, dict]:
    """review.csv keyed by record; fails on a missing column, a bad flag or a repeat."""
    rows = read_csv(path)
    if rows and set(REVIEW_COLUMNS) - set(rows[0]):
        raise SystemExit(f"{path}: missing columns {sorted(set(REVIEW_COLUMNS) - set(rows[0]))}")
    review: dict[str, dict] = {}
    for number, row in enumerate(rows, start=1):
        key = row["record"]
        if key in review:
            raise SystemExit(f"{path}, row {number}: record {key!r} listed twice")
        if row["disputed"] not in ("true", "false"):
            raise SystemExit(f"{path}, row {number}, field 'disputed': {row['disputed']!r}")
        if row["part_of_day"] and row["part_of_day"] not in PART_OF_DAY_SPANS:
            raise SystemExit(f"{path}, row {number}, field 'part_of_day': {row['part_of_day']!r}")
        review[key] = row
    return review


def reviewed(review: dict[str, dict], key: str) -> dict:
    if key not in review:
        raise SystemExit(f"{REVIEW_FILE}: record {key!r} has not been reviewed (add a row)")
    return review[key]


def convert(research: Path, out: Path) -> None:
    rows = read_csv(research / "incidents_2026-02.csv")
    additions_path = out / ADDITIONS_FILE
    added_rows = read_csv(additions_path) if additions_path.exists() else []
    review = read_review(out / REVIEW_FILE)
    corrections, report = load_corrections(out / CORRECTIONS_FILE)
    if report.problems:
        raise SystemExit(f"{CORRECTIONS_FILE}: not applied\n{report.to_text()}")
    places: dict[str, dict] = {}  # location key -> place, by first use
    records: dict[str, dict] = {}
    additions: dict[str, dict] = {}
    for row in rows + added_rows:
        record, place = convert_row(row, reviewed(review, row["id"]))
        places.setdefault(place["key"], place)
        target = additions if row in added_rows else records
        if row["id"] in records or row["id"] in additions:
            raise SystemExit(f"incident id {row['id']!r} appears twice")
        target[row["id"]] = record
    # The Spanish summaries are joined first, so that a correction may change one.
    join_summary_es({**records, **additions}, out / SUMMARY_ES_FILE)
    try:
        apply_corrections(
            records,
            [c for c in corrections if not c.official and not c.key_moment],
            CORRECTIONS_FILE,
            additions,
        )
    except CorrectionError as exc:
        raise SystemExit(f"build stopped: {exc}") from exc
    check_distinct(records)
    check_key_moments(out / KEY_MOMENTS_FILE, [c for c in corrections if c.key_moment])
    for record in records.values():  # a corrected point or municipality is a new place
        key = place_key(record)
        if key != record["_place"]:
            base = places[record["_place"]]
            places.setdefault(key, moved_place(base, key))
            record["_place"] = key
        for field in PLACE_FIELDS:
            del record[field]

    # Places: one per distinct (state, municipality, place, point, precision) still in use.
    place_es = read_place_es(out / PLACE_ES_FILE)
    locations: dict[tuple, dict] = {}
    used_ids: set[str] = set()
    for key, place in places.items():
        if not any(r["_place"] == key for r in records.values()):
            continue
        base = place["base"]
        location_id, n = base, 2
        while location_id in used_ids:
            location_id, n = f"{base}-{n}", n + 1
        used_ids.add(location_id)
        fields = place["fields"]
        locations[key] = {
            "location_id": location_id,
            **fields,
            "place_es": place_es.get(fields["place"], ""),
        }
    in_use = {loc["place"] for loc in locations.values()}
    for unused in sorted(set(place_es) - in_use):
        print(f"{PLACE_ES_FILE}: no place {unused!r} (withdrawn or renamed?)", file=sys.stderr)
    incidents = []
    for record in records.values():
        record["location_id"] = locations[record.pop("_place")]["location_id"]
        incidents.append(record)
    incidents.sort(key=lambda r: (r["start"], r["incident_id"]))
    columns = (*INCIDENT_COLUMNS, *EXTRA_INCIDENT_COLUMNS)
    with (out / "incidents.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(incidents)

    features = [
        point_feature(loc, {k: v for k, v in loc.items() if k not in ("lon", "lat")})
        for loc in sorted(locations.values(), key=lambda loc: loc["location_id"])
    ]
    write_geojson(out / "locations.geojson", features)

    raid = records[RAID_ID]
    raid_location = next(v for v in locations.values() if v["location_id"] == raid["location_id"])
    site = {
        "site_id": "tapalpa-operation",
        "name": "Tapalpa operation site",
        "description": (
            "Approximate area of the 22 Feb 2026 special-forces raid on a cabin complex "
            "near Tapalpa; the exact site was not published officially."
        ),
        # The same in Spanish, written by this project from the record (issue 8).
        "name_es": "Sitio del operativo en Tapalpa",
        "description_es": (
            "Zona aproximada donde fuerzas especiales irrumpieron el 22 de febrero de 2026 "
            "en un conjunto de cabañas cercano a Tapalpa; las autoridades no dieron a "
            "conocer el punto exacto."
        ),
        "municipality": raid_location["municipality"],
        "cve_ent": raid_location["cve_ent"],
        "geo_precision": raid_location["geo_precision"],
        "incident_id": RAID_ID,
        "start": raid["start"],
        "source_url": raid["source_url"],
        "source_outlet": raid["source_outlet"],
        "source_date": raid["source_date"],
        "more_source_urls": raid["more_source_urls"],
    }
    write_geojson(out / "operation_site.geojson", [point_feature(raid_location, site)])

    official = convert_official(research, out, review, [c for c in corrections if c.official])
    print(
        f"wrote {len(incidents)} incidents at {len(locations)} locations and {official} "
        f"official figures to {out}; applied {len(corrections)} corrections"
    )


def convert_row(row: dict, review: dict) -> tuple[dict, dict]:
    """One research-pack row -> (incident record, its place); flags come from review.csv.
    The fields are converted by dashboard.ingest.research.research_record (shared with
    the `log` check); this adds the ids and the place key."""
    state = state_by_name(row["state"])
    if state is None:
        raise SystemExit(f"{row['id']}: unknown state {row['state']!r}")
    key = (state.cve_ent, *(row[field] for field in PLACE_FIELDS))
    place = new_place(state.abbrev, key)
    record = {
        "incident_id": row["id"],
        "location_id": "",
        **research_record(row, state.cve_ent, review),  # place fields: removed after
        "summary_es": "",
        "_place": key,
    }
    return record, place


def new_place(abbrev: str, key: tuple) -> dict:
    """A place from its key (cve_ent, then the PLACE_FIELDS as written)."""
    cve, name, municipality, lat, lon, precision = key
    base = f"{abbrev.lower()}-{slug(municipality)}-{slug(name)}"[:56]
    return {
        "key": key,
        "base": base.rstrip("-"),
        "fields": {
            "place": name,
            "municipality": municipality,
            "cve_ent": cve,
            "geo_precision": int(precision),
            "lon": float(lon),
            "lat": float(lat),
        },
    }


def place_key(record: dict) -> tuple:
    """The place key of a record after corrections (its state cannot change)."""
    return (record["_place"][0], *(record[field] for field in PLACE_FIELDS))


def moved_place(base: dict, key: tuple) -> dict:
    """The place of `base` with a corrected name, point or municipality (same state)."""
    return new_place(BY_CODE[key[0]].abbrev, key)


def check_key_moments(path: Path, corrections: list) -> None:
    """key_moments.csv is edited by hand: the last value the log gives each field of a
    key moment (`key_moment: <at>`) must be the file's, and each row's old value the one
    before it (the first old value is the value as first published). Stops otherwise."""
    rows = {KEY_MOMENT_PREFIX + r["at"]: r for r in read_csv(path)} if path.exists() else {}
    last: dict[tuple[str, str], str] = {}
    for c in corrections:
        where = f"{CORRECTIONS_FILE}, line {c.row}, record {c.record!r}"
        if c.record not in rows or c.field not in rows[c.record]:
            raise SystemExit(f"build stopped: {where}: no such key moment or field {c.field!r}")
        before = last.get((c.record, c.field), c.old_value)
        if before != c.old_value:
            raise SystemExit(f"build stopped: {where}: old value is not the previous new value")
        last[(c.record, c.field)] = c.new_value
    for (record, field), value in last.items():
        if rows[record][field] != value:
            raise SystemExit(
                f"build stopped: {KEY_MOMENTS_FILE}: {record!r}, field {field!r} is "
                f"{rows[record][field]!r}, but the log's last value is {value!r}"
            )


def check_distinct(records: dict[str, dict]) -> None:
    """A distinct_from mark names existing records and always carries its reason."""
    for incident_id, record in records.items():
        others = record["distinct_from"].split()
        if bool(others) != bool(record["distinct_reason"].strip()):
            raise SystemExit(f"{REVIEW_FILE}: {incident_id}: distinct_from needs a reason")
        unknown = [o for o in others if o not in records]
        if unknown:
            raise SystemExit(f"{REVIEW_FILE}: {incident_id}: distinct from unknown {unknown}")


def join_summary_es(records: dict[str, dict], path: Path) -> None:
    """Spanish summaries (incident_id, summary_es) from the translators, when present."""
    if not path.exists():
        return
    for row in read_csv(path):
        incident_id = row.get("incident_id", "")
        if incident_id in records:
            records[incident_id]["summary_es"] = (row.get("summary_es") or "").strip()
        else:
            print(f"{path.name}: no record {incident_id!r} (withdrawn or merged?)", file=sys.stderr)


def read_place_es(path: Path) -> dict[str, str]:
    """place_es.csv as {English place as written: its Spanish form}; {} without the file.
    Fails on a missing column or a place listed twice."""
    if not path.exists():
        return {}
    rows = read_csv(path)
    if rows and {"place", "place_es"} - set(rows[0]):
        raise SystemExit(f"{path}: needs the columns 'place' and 'place_es'")
    result: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        if row["place"] in result:
            raise SystemExit(f"{path}, line {number}: place {row['place']!r} listed twice")
        result[row["place"]] = row["place_es"].strip()
    return result


def convert_official(research: Path, out: Path, review: dict, corrections: list) -> int:
    rows = read_csv(research / "official_counts.csv")
    result = {}
    for row in rows:
        record = research_official(row)
        key = official_key(record)
        if key in result:
            raise SystemExit(f"official_counts: two rows with the key {key!r}")
        record["disputed"] = reviewed(review, key)["disputed"]
        result[key] = record
    try:
        apply_corrections(result, corrections, CORRECTIONS_FILE)
    except CorrectionError as exc:
        raise SystemExit(f"build stopped: {exc}") from exc
    with (out / "official_counts.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=OFFICIAL_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(result.values())
    return len(result)


def point_feature(loc: dict, properties: dict) -> dict:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]},
    }


def write_geojson(path: Path, features: list[dict]) -> None:
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--research", type=Path, default=DEFAULT_RESEARCH)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    assert BY_CODE
    convert(args.research, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
