"""Save what `check_incidents` returns for many generated files, and compare two saves.

    .venv/bin/python benchmarks/validate_outputs.py OUT [--big]
    .venv/bin/python benchmarks/validate_outputs.py --compare OUT_BEFORE OUT_AFTER

For a speed-up that must not change behaviour: save with the code before (copy this
script into `benchmarks/` of a `git archive <commit>` unpacked elsewhere and run it there
with this checkout's venv: it imports the `dashboard` next to it), save with the code
after, compare. Each file is checked with the default report limit, with every problem
kept and with a limit of 7; the save holds the valid rows' frame, the format, encoding,
mapping, every kept problem (file, line, field, value, reason, severity, unit) in order
and the totals. The files: the benchmark's (our schema, ACLED, hostile; 3,000 rows, or
100,000 with --big), the same with random cells replaced by awkward values (padding,
Unicode spaces, NaN/inf words, decimal commas, bad dates, unknown states, …) in comma,
semicolon and tab form, rows mixing location ids and own points, ACLED's sample export,
the bundled incidents (checked as bundled), a cp1252 and a UTF-16 file.
"""

import io
import pickle
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

WEIRD = [
    "",
    " ",
    "  x  ",
    "\u00a0y\u00a0",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e999",
    "1,5",
    "-1",
    "2.5",
    "abc",
    "'=x",
    "'-3",
    "''",
    "0",
    "1",
    "3",
    "day",
    "minute",
    "hour",
    "week",
    "month",
    "part_of_day",
    "2026-02-22T10:00-06:00",
    "2026-02-22T10:00Z",
    "2026-02-30T10:00-06:00",
    "2026-02-22 10:00-06:00",
    "2026-02-22T10:00",
    "22/02/2026",
    "3/4/2026",
    "1890-01-01T00:00+00:00",
    "2026-02-22",
    "2026-13",
    "2026-02",
    "2026-13-45",
    "http://a.b/c",
    "https://x.org",
    "javascript:alert(1)",
    "http://",
    "ftp://x",
    "http://a.b http://c.d",
    "http://a.b nope",
    "blockade",
    "vehicle_arson",
    "Blockade",
    "other",
    "high",
    "low",
    "true",
    "FALSE",
    "yes",
    "maybe",
    "14",
    "MX-JAL",
    "Jalisco",
    "jalisco",
    "CDMX",
    "Atlantis",
    "MX-DIF",
    "20.67",
    "-103.35",
    "-103.35 ",
    "20,67",
    "-103,35",
    "+20.6",
    ".5",
    "5.",
    "1e2",
    "1E+02",
    "22 February 2026",
    "2026-02-23",
    "23-02-2026",
    "23/02/2026",
    "February 2026",
    "1.0",
    "2.0",
    "3.0",
    "Armed clash",
    "Arrests",
    "Attack",
    "morning",
    "night",
    "evening",
    "afternoon",
    "loc-1",
    "dup",
    "dup",
    "Guadalajara",
    "Zapopan",
    "x\ny",
    "a,b",
    'q"uote',
    "\t",
    "Ñandú",
    "\u2003em\u2003",
    "0.0",
    "-0",
    "1.5e-3",
    "99999999999999999999",
    "-200",
    "200",
    "91",
    "-91",
    "181",
    "-103.3",
    "20.6",
]


def messy(base: bytes, seed: int, frac: float, delimiter=",") -> bytes:
    frame = pd.read_csv(io.BytesIO(base), dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    for c in frame.columns:
        hit = rng.random(len(frame)) < frac
        frame.loc[hit, c] = rng.choice(WEIRD, hit.sum())
    return frame.to_csv(index=False, sep=delimiter).encode()


def inputs(bundle, big: bool):
    import bench_validate as b

    out = {}
    n = 100_000 if big else 3000
    ours, acl = b.our_file(bundle, n), b.acled_file(bundle, n)
    out["ours"], out["acled"], out["hostile"] = ours, acl, b.hostile_file(300_000)
    for seed in range(3):
        out[f"ours_messy{seed}"] = messy(
            b.our_file(bundle, 2000, seed=10 + seed), seed, 0.05 * (seed + 1)
        )
        out[f"acled_messy{seed}"] = messy(
            b.acled_file(bundle, 2000, seed=20 + seed), seed, 0.05 * (seed + 1)
        )
        out[f"ours_semicolon{seed}"] = messy(
            b.our_file(bundle, 1000, seed=30 + seed), seed, 0.1, ";"
        )
        out[f"acled_tab{seed}"] = messy(b.acled_file(bundle, 1000, seed=40 + seed), seed, 0.1, "\t")
    # mix of location ids and own points
    f = pd.read_csv(io.BytesIO(b.our_file(bundle, 2000, seed=50)), dtype=str, keep_default_na=False)
    rng = np.random.default_rng(5)
    ids = bundle.locations.location_id.to_numpy()
    f.insert(0, "location_id", "")
    pick = rng.random(len(f)) < 0.5
    f.loc[pick, "location_id"] = rng.choice(list(ids) + ["nope"], pick.sum())
    f.loc[pick & (rng.random(len(f)) < 0.7), ["latitude", "longitude"]] = ""
    out["mixed_ids"] = f.to_csv(index=False).encode()
    out["mixed_ids_messy"] = messy(out["mixed_ids"], 9, 0.05)
    out["acled_real"] = (ROOT / "tests" / "data" / "acled_export.csv").read_bytes()
    out["bundled_incidents"] = (ROOT / "geodata" / "incidents.csv").read_bytes()
    out["bundled_messy"] = messy(out["bundled_incidents"], 3, 0.05)
    # utf-16 / cp1252 variants (careful path)
    out["ours_cp1252"] = (
        messy(b.our_file(bundle, 500, seed=60), 6, 0.05, ";")
        .decode()
        .encode("cp1252", errors="replace")
    )
    out["ours_utf16"] = b"\xff\xfe" + messy(
        b.our_file(bundle, 500, seed=61), 7, 0.05, "\t"
    ).decode().encode("utf-16-le")
    return out


def summarize(result):
    r = result.report
    return dict(
        frame=result.frame,
        format=result.format,
        encoding=result.encoding,
        mapping=result.mapping,
        problems=[
            (p.file, p.row, p.field, p.value, p.reason, p.severity, p.unit) for p in r.problems
        ],
        totals=dict(r.totals),
        errors=r.error_count,
        warnings=r.warning_count,
    )


def run(outdir, big):
    from dashboard.ingest.bundle import load_bundle
    from dashboard.ingest.validate import check_incidents

    bundle = load_bundle()
    outdir = Path(outdir)
    outdir.mkdir(exist_ok=True, parents=True)
    for key, data in inputs(bundle, big).items():
        for opts in ({}, {"keep_all": True}, {"limit": 7}):
            bundled = key.startswith("bundled")
            res = check_incidents(
                data, "f.csv", bundle.locations, bundle.states, bundled=bundled, **opts
            )
            tag = "_".join(f"{k}{v}" for k, v in opts.items()) or "default"
            (outdir / f"{key}.{tag}.pkl").write_bytes(pickle.dumps(summarize(res)))
    print("wrote", outdir)


def compare(a, b):
    bad = 0
    files = sorted(Path(a).glob("*.pkl"))
    for fa in files:
        x, y = pickle.loads(fa.read_bytes()), pickle.loads((Path(b) / fa.name).read_bytes())
        for k in x:
            try:
                if k == "frame":
                    pd.testing.assert_frame_equal(x[k], y[k], check_exact=True)
                else:
                    assert x[k] == y[k], (k,)
            except AssertionError as e:
                bad += 1
                print("DIFF", fa.name, k, str(e)[:600])
                if k == "problems":
                    for i, (p, q) in enumerate(zip(x[k], y[k], strict=False)):
                        if p != q:
                            print("  first diff at", i, p, q)
                            break
                    print("  lens", len(x[k]), len(y[k]))
    print(f"{len(files)} files compared, {bad} differences")


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        run(sys.argv[1], "--big" in sys.argv)
