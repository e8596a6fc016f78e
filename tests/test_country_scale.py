"""Country-scale reading (issue 24): the shortcuts that keep a million-row file cheap
(scans in steps, ids looked up in Arrow) give what the plain code they replaced gives."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.ingest import limits

# The scans of a whole file go through it a few MiB at a time (limits.positions,
# limits.count_newlines); with a step of a few bytes every chunk boundary is crossed.
_SCANNED = [
    b"",
    b"\n",
    b"a",
    b"a,b\n1,2\n",
    b'"x\ny",z\r\n\r\n"q"',
    b"\n\n\n\n\n\n\n",
    b"no line end at all but a long one",
    bytes(range(256)) * 3,
]


@pytest.mark.parametrize("data", _SCANNED)
@pytest.mark.parametrize("step", [1, 2, 3, 5, 64, 1 << 22])
def test_scans_in_steps_find_what_one_pass_finds(data, step):
    import numpy as np

    from dashboard.ingest.limits import count_newlines

    body = np.frombuffer(data, dtype=np.uint8)
    for byte in b'\n\r"[':
        found = limits.positions(body, byte, step=step)
        assert found.dtype == np.int64
        assert found.tolist() == np.flatnonzero(body == byte).tolist()
    assert count_newlines(data, step=step) == data.count(b"\n")


# id_lines on Arrow-backed ids (id_lines.IdLines, looked up in Arrow) against the dict of every
# id it replaced: the same line for every key, the first row of a repeated id.
_IDS = ["a", " b ", "a", None, "", "c\u2028", "\x1cd", "e\u3000", "N1\u200b", "N1", "  "]


def _dict_of_ids(ids: list) -> dict:
    keys = pd.Series(ids, dtype=object).fillna("").astype(str).str.strip().tolist()
    rows = list(range(2, 2 + len(ids)))
    return dict(zip(reversed(keys), reversed(rows), strict=True))


@pytest.mark.parametrize(
    "ids", [_IDS, _IDS * 5, ["x"], [None], [], [f"MEX{i}" for i in range(100)]]
)
def test_id_lines_on_arrow_ids_give_the_dict_of_every_id(ids):
    import numpy as np

    from dashboard.ingest.id_lines import IdLines, id_lines

    rows = np.arange(2, 2 + len(ids), dtype="int64")
    expected = _dict_of_ids(ids)
    lines = id_lines(pd.DataFrame({"incident_id": pd.Series(ids, dtype="str")}), rows)
    assert isinstance(lines, IdLines)
    assert bool(lines) == bool(expected)
    keys = [*expected, "absent", "N1\u200b ", " a"] * 3  # more than IdLines.LOOKUPS
    assert [lines.get(k, -1) for k in keys] == [expected.get(k, -1) for k in keys]
    assert dict(lines) == expected and len(lines) == len(expected)
    with_object = id_lines(pd.DataFrame({"incident_id": pd.Series(ids, dtype=object)}), rows)
    assert with_object == expected


def test_id_lines_strip_what_str_strip_strips():
    from dashboard.ingest.read import TRIMMED

    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert spaces == set(TRIMMED + "\u2028\u2029")


_LINKS = [  # (source_url, more_source_urls, notes)
    ("https://www.milenio.com/", "", ""),
    ("", "https://www.milenio.com/ https://x.org/a/b-c", "two more"),
    (None, None, None),
    ("https://www.eluniversal.com.mx/estados/bloqueos-en-jalisco", "", "an article"),
    ("", "", "no link"),
    ("ftp://files.example.org/a", "", "Coords = x"),
]


@pytest.mark.parametrize("dtype", [object, "str"])
def test_link_check_reads_only_linked_rows_and_finds_what_every_row_gives(dtype):
    from dashboard.analysis.quality_links import link_problem, non_article_links

    frame = pd.DataFrame(
        {
            "incident_id": pd.Series([f"r{i}" for i in range(len(_LINKS))], dtype=dtype),
            "source_url": pd.Series([m for m, _, _ in _LINKS], dtype=dtype),
            "more_source_urls": pd.Series([o for _, o, _ in _LINKS], dtype=dtype),
            "notes": pd.Series([n for _, _, n in _LINKS], dtype=dtype),
        }
    )
    found = {(f.incident_ids[0], f.field, f.value) for f in non_article_links(frame)}
    bad = {  # every row's links, one by one (only links can be non-article pages)
        (f"r{i}", field, url)
        for i, row in enumerate(_LINKS)
        for field, text in zip(("source_url", "more_source_urls"), row[:2], strict=False)
        for url in (text or "").split()
        if link_problem(url)
    }
    assert len(bad) >= 2 and bad <= found
    assert {record for record, _, _ in found} <= {"r0", "r1", "r3", "r5"}


# Country-scale files take two shortcuts only above sizes no test file reaches: the CSV
# parser's thread pool (read.THREADED_PARSE_BYTES) and the data checks on two threads
# (quality.PARALLEL_CHECK_ROWS). With both thresholds at 0 a small file must give the
# report and the rows it gives without them.
def _acled_with_repeats() -> bytes:
    from pathlib import Path

    lines = Path("tests/data/acled_export.csv").read_bytes().splitlines()
    header, rows = lines[0], lines[1:]
    # Rows repeated under new ids (acled_duplicates finds them), a repeated id, a bad date.
    more = [row.replace(b"MEX9000", b"MEX7000", 1) for row in rows]
    more += [rows[0], rows[1].replace(b"23 February 2026", b"31 February 2026", 1)]
    return b"\n".join([header, *rows, *more]) + b"\n"


@pytest.mark.parametrize(
    "name",
    ["acled_repeats.csv", "geodata/incidents.csv", "tests/data/acled_export.csv"],
)
def test_threaded_parse_and_checks_give_the_serial_report(name, bundle, monkeypatch):
    import concurrent.futures
    from concurrent.futures import ThreadPoolExecutor as Pool
    from pathlib import Path

    from dashboard.analysis import quality
    from dashboard.analysis.check_file import check_file
    from dashboard.ingest import read

    data = _acled_with_repeats() if name == "acled_repeats.csv" else Path(name).read_bytes()

    def checked():
        result = check_file(data, name, bundle.locations, bundle.states, max_bytes=None)
        return result.report.as_dict("en"), result.frame

    serial_report, serial_frame = checked()
    monkeypatch.setattr(read, "THREADED_PARSE_BYTES", 0)
    monkeypatch.setattr(quality, "PARALLEL_CHECK_ROWS", 0)
    pools = []
    monkeypatch.setattr(
        concurrent.futures, "ThreadPoolExecutor", lambda **kw: pools.append(kw) or Pool(**kw)
    )
    threaded_report, threaded_frame = checked()
    assert pools == [{"max_workers": 2}]  # the command line's checks ran on the pool
    # An upload's checks (the page gives max_bytes) stay on one thread at any size.
    page = check_file(data, name, bundle.locations, bundle.states)
    assert pools == [{"max_workers": 2}]
    assert page.report.as_dict("en") == serial_report
    assert threaded_report == serial_report
    pd.testing.assert_frame_equal(threaded_frame, serial_frame)
    if name == "acled_repeats.csv":  # the file gives data-check findings to keep in order
        reasons = [p["reason"] for p in serial_report["problems"]]
        assert any(r.startswith("duplicates [") for r in reasons if r), reasons
