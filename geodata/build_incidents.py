"""Convert the research pack (../shared/research) into geodata/: the one-off import.

    python geodata/build_incidents.py [--research ../shared/research]

Writes locations.geojson (one point per reported place), operation_site.geojson (the
Tapalpa raid), incidents.csv (one row per reported event) and official_counts.csv.
After this, geodata/ is the source of truth: nothing else reads the research pack.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from datetime import date, datetime, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dashboard.mexico import BY_CODE, local_zone, state_by_name  # noqa: E402
from dashboard.schema import (  # noqa: E402
    INCIDENT_COLUMNS,
    OFFICIAL_COLUMNS,
    PART_OF_DAY_SPANS,
)

HERE = Path(__file__).resolve().parent
DEFAULT_RESEARCH = HERE.parent.parent / "shared" / "research"
URL = re.compile(r"https?://[^\s;|\"]+")
PART_OF_DAY = re.compile(r"\b(early morning|morning|midday|afternoon|evening|night)\b", re.I)
# The research notes mark conflicting figures with these words.
DISPUTE = re.compile(r"CONFLICT|DIFFERS|DISCREPAN|CONTRADICT|\bvs\b|unclear basis", re.I)
RAID_ID = "jal-tapalpa-raid"
# Conflicts the research README lists whose row notes do not say so in those words:
# the raid toll (7 on 22 Feb, 8 on 23 Feb, 13 + 3 soldiers on 27 Feb).
DISPUTED_IDS = frozenset({RAID_ID})


def slug(text: str) -> str:
    from dashboard.mexico import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def part_of_day(notes: str) -> str:
    first = notes.split(" | ")[0]
    match = PART_OF_DAY.search(first)
    return match.group(1).lower().replace(" ", "_") if match else ""


def start_time(row: dict, cve: str) -> tuple[datetime, str]:
    zone = local_zone(cve, row["municipality"])
    day = date.fromisoformat(row["date"])
    precision = row["time_precision"]
    part = ""
    if precision in ("minute", "hour"):
        clock = time.fromisoformat(row["time_local"])
    elif precision == "part_of_day":
        part = part_of_day(row["notes"])
        clock = PART_OF_DAY_SPANS[part][0] if part else time(0)
    else:
        clock = time(0)
    return datetime.combine(day, clock, tzinfo=zone), part


def count(value: str) -> str:
    return str(int(value)) if value.strip() else ""


def source_date(value: str) -> str:
    return "" if value in ("n.d.", "") else value


def convert(research: Path, out: Path) -> None:
    with (research / "incidents_2026-02.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    locations: dict[tuple, dict] = {}
    used_ids: set[str] = set()
    incidents = []
    for row in rows:
        state = state_by_name(row["state"])
        if state is None:
            raise SystemExit(f"{row['id']}: unknown state {row['state']!r}")
        key = (
            state.cve_ent,
            row["municipality"],
            row["place"],
            row["latitude"],
            row["longitude"],
            row["geo_precision"],
        )
        if key not in locations:
            base = f"{state.abbrev.lower()}-{slug(row['municipality'])}-{slug(row['place'])}"[:56]
            base = base.rstrip("-")
            location_id, n = base, 2
            while location_id in used_ids:
                location_id, n = f"{base}-{n}", n + 1
            used_ids.add(location_id)
            locations[key] = {
                "location_id": location_id,
                "place": row["place"],
                "municipality": row["municipality"],
                "cve_ent": state.cve_ent,
                "geo_precision": int(row["geo_precision"]),
                "lon": float(row["longitude"]),
                "lat": float(row["latitude"]),
            }
        start, part = start_time(row, state.cve_ent)
        primary = row["source_url"].strip()
        more = [u.rstrip(".,)") for u in URL.findall(row["notes"])]
        more = list(dict.fromkeys(u for u in more if u != primary))
        notes = " | ".join(
            part for part in row["notes"].split(" | ") if not part.startswith("Also:")
        )
        incidents.append(
            {
                "incident_id": row["id"],
                "location_id": locations[key]["location_id"],
                "start": iso(start),
                "end": "",
                "time_precision": row["time_precision"],
                "part_of_day": part,
                "event_type": row["event_type"],
                "blockades": count(row["blockade_count"]),
                "fatalities": count(row["fatalities"]),
                "injured": count(row["injured"]),
                "arrested": count(row["arrested"]),
                "summary": row["summary"].strip(),
                "source_url": primary,
                "source_outlet": row["source_name"],
                "source_date": source_date(row["source_date"]),
                "more_source_urls": " ".join(more),
                "confidence": row["confidence"],
                "disputed": str(
                    row["id"] in DISPUTED_IDS or bool(DISPUTE.search(URL.sub("", row["notes"])))
                ).lower(),
                "notes": notes,
            }
        )
    incidents.sort(key=lambda r: (r["start"], r["incident_id"]))
    with (out / "incidents.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=INCIDENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(incidents)

    features = [
        point_feature(loc, {k: v for k, v in loc.items() if k not in ("lon", "lat")})
        for loc in sorted(locations.values(), key=lambda loc: loc["location_id"])
    ]
    write_geojson(out / "locations.geojson", features)

    raid = next(r for r in incidents if r["incident_id"] == RAID_ID)
    raid_location = next(v for v in locations.values() if v["location_id"] == raid["location_id"])
    site = {
        "site_id": "tapalpa-operation",
        "name": "Tapalpa operation site",
        "description": (
            "Approximate area of the 22 Feb 2026 special-forces raid on a cabin complex "
            "near Tapalpa; the exact site was not published officially."
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

    convert_official(research, out)
    print(f"wrote {len(incidents)} incidents at {len(locations)} locations to {out}")


def convert_official(research: Path, out: Path) -> None:
    with (research / "official_counts.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    result = []
    for row in rows:
        scope_state = state_by_name(row["scope"].split("(")[0].strip())
        state_scope = scope_state is not None and "(" not in row["scope"]
        cve = scope_state.cve_ent if state_scope else ""
        zone = local_zone(scope_state.cve_ent if scope_state else "09")
        clock = time.fromisoformat(row["time_local"]) if row["time_local"] else time(0)
        reported = datetime.combine(date.fromisoformat(row["date"]), clock, tzinfo=zone)
        result.append(
            {
                "reported_at": iso(reported),
                "time_precision": "minute" if row["time_local"] else "day",
                "scope": row["scope"],
                "cve_ent": cve,
                "metric": row["metric"],
                "value": row["value"],
                "reported_by": row["reported_by"],
                "source_url": row["source_url"],
                "disputed": str(bool(DISPUTE.search(URL.sub("", row["notes"])))).lower(),
                "notes": row["notes"],
            }
        )
    with (out / "official_counts.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=OFFICIAL_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(result)


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
