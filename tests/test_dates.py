"""Times and dates on the command line, in links and in files (issue 19, item 6).

Window bounds (`--start`/`--end`, a link's `from`/`to`) take any ISO 8601 offset and
refuse what they cannot read; numeric day/month dates in a file are read in the order
their column proves, or refused naming file, line, field and value.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest

import dashboard.ingest.bundle
from dashboard.__main__ import main
from dashboard.analysis.permalink import parse_params, parse_query
from dashboard.ingest import acled
from dashboard.ingest.geodata_files import validate_key_moments
from dashboard.ingest.validate import check_incidents
from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.timing import (
    DAY_FIRST,
    MONTH_FIRST,
    DayMonthOrder,
    TimestampError,
    parse_timestamp,
    parse_window_bound,
)
from tests.conftest import incident_row, to_csv

SIX_UTC = datetime(2026, 2, 22, 6, tzinfo=UTC)  # 00:00 in Mexico City

# ---------------------------------------------------------------- window bounds


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-02-22T06:00+00:00", SIX_UTC),
        ("2026-02-22T06:00Z", SIX_UTC),
        ("2026-02-22T06:00z", SIX_UTC),
        ("2026-02-22T07:00+0100", SIX_UTC),
        ("2026-02-22T07:00+01", SIX_UTC),
        ("2026-02-22T00:00-06:00", SIX_UTC),
        ("2026-02-22T00:00-0600", SIX_UTC),
        ("2026-02-22T11:30+05:30", SIX_UTC),
        ("2026-02-22T00:00", SIX_UTC),  # no offset: Mexico City time, as documented
        ("2026-02-22 00:00", SIX_UTC),
        ("2026-02-22", SIX_UTC),  # a date alone: its Mexico City midnight
        ("  2026-02-22T06:00:00Z ", SIX_UTC),
    ],
)
def test_window_bounds_read_every_iso_offset(text, moment):
    read = parse_window_bound(text)
    assert read == moment and read.tzinfo is not None


def test_a_bound_without_offset_is_on_mexico_citys_clock():
    assert parse_window_bound("2026-02-22T06:00").tzinfo is MEXICO_CITY
    assert parse_window_bound("2026-02-22T06:00-0600").utcoffset() == timedelta(hours=-6)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-02-22T06:00+25:00", "UTC offset +25:00 out of range"),
        ("2026-02-22T06:00-13:00", "UTC offset -13:00 out of range"),
        ("2026-02-22T06:00+05:75", "out of range"),
        ("2026-02-22T06:00+1", "unreadable UTC offset '+1'"),
        ("2026-02-22T06:00+01:0", "unreadable UTC offset"),
        ("2026-02-22T06:00 01:00", "unreadable UTC offset"),  # not from a URL: no + there
        ("2026-02-22T06:00UTC", "unreadable UTC offset 'UTC'"),
        ("2026-02-30T06:00", "impossible date or time"),
        ("2026-02-22T24:00Z", "impossible date or time"),
        ("banana", "write YYYY-MM-DDTHH:MM"),
        ("22/02/2026 06:00", "write YYYY-MM-DDTHH:MM"),
        ("", "write YYYY-MM-DDTHH:MM"),
    ],
)
def test_unreadable_window_bounds_say_why(text, reason):
    with pytest.raises(TimestampError, match=reason.replace("+", r"\+")) as caught:
        parse_window_bound(text)
    assert caught.value.message.text("es") != caught.value.message.text("en")


# ---------------------------------------------------------------- the command line


@pytest.fixture
def cli(bundle, monkeypatch, capsys):
    """`python -m dashboard ARGS` in this process, English unless --lang says otherwise:
    (exit code, stdout, stderr)."""
    monkeypatch.setattr(dashboard.ingest.bundle, "load_bundle", lambda *a, **k: bundle)
    monkeypatch.setenv("LANG", "C")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exit:
            code = exit.code
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


WINDOWS = [
    ("2026-02-22T06:00+00:00", "2026-02-22T12:00+00:00"),
    ("2026-02-22T06:00Z", "2026-02-22T12:00Z"),
    ("2026-02-22T07:00+0100", "2026-02-22T13:00+0100"),
    ("2026-02-22T00:00-06:00", "2026-02-22T06:00-0600"),
    ("2026-02-22T00:00", "2026-02-22T06:00"),  # Mexico City time
]


def test_export_writes_the_same_file_for_every_way_of_writing_the_window(cli, tmp_path):
    files = []
    for number, (start, end) in enumerate(WINDOWS):
        out = tmp_path / f"{number}.csv"
        code, _, err = cli("export", "--start", start, "--end", end, "--out", str(out))
        assert code == 0, err
        assert "notice" not in err  # nothing was dropped
        files.append(out.read_bytes())
    assert all(data == files[0] for data in files)
    default = tmp_path / "default.csv"
    assert cli("export", "--out", str(default))[0] == 0
    assert default.read_bytes() != files[0]  # the window counted: it is not the default


@pytest.mark.parametrize("command", ["quality", "snapshot"])
def test_other_commands_read_the_offset_too(cli, tmp_path, command):
    out = ["--out", str(tmp_path / "view.html")] if command == "snapshot" else []
    code, _, err = cli(
        command, "--start", "2026-02-22T06:00+00:00", "--end", "2026-02-22T12:00Z", *out
    )
    assert code == 0, err
    assert "notice" not in err


BAD_FLAGS = [
    # (flag, value, the reason in English, in Spanish)
    ("--start", "2026-02-22T06:00+25:00", "UTC offset +25:00 out of range", "fuera de rango"),
    ("--end", "2026-02-22T12:00+1", "unreadable UTC offset '+1'", "desfase UTC ilegible"),
    ("--start", "mañana", "write YYYY-MM-DDTHH:MM", "escribe AAAA-MM-DDTHH:MM"),
    ("--start", "", "write YYYY-MM-DDTHH:MM", "escribe AAAA-MM-DDTHH:MM"),
    ("--end", "2026-02-30T00:00Z", "impossible date or time", "fecha u hora imposible"),
]


@pytest.mark.parametrize("command", ["export", "snapshot", "quality"])
@pytest.mark.parametrize(("flag", "value", "english", "spanish"), BAD_FLAGS)
def test_an_unreadable_window_flag_is_refused_naming_it(
    cli, tmp_path, command, flag, value, english, spanish
):
    out = tmp_path / ("out.csv" if command == "export" else "out.html")
    args = [command, flag, value] + (["--out", str(out)] if command != "quality" else [])
    code, stdout, err = cli(*args)
    assert code == 2
    assert f"error: {flag} {value!r}: not a date and time: {english}" in err
    assert "Ignored" not in err and not out.exists() and not stdout  # never the default
    code, _, err = cli(*args, "--lang", "es")
    assert code == 2
    assert f"error: {flag} {value!r}: no es una fecha y hora: " in err and spanish in err


# ---------------------------------------------------------------- links

BOUNDS = {
    "data_start": datetime(2026, 2, 21, 23, tzinfo=MEXICO_CITY),
    "data_end": datetime(2026, 3, 3, tzinfo=MEXICO_CITY),
}
SIX_TO_NOON = (
    datetime(2026, 2, 22, 6, tzinfo=MEXICO_CITY),
    datetime(2026, 2, 22, 12, tzinfo=MEXICO_CITY),
)


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-02-22T06:00&to=2026-02-22T12:00",
        "from=2026-02-22T12:00Z&to=2026-02-22T18:00Z",
        f"from={quote('2026-02-22T12:00+00:00')}&to={quote('2026-02-22T18:00+00:00')}",
        "from=2026-02-22T12:00+00:00&to=2026-02-22T18:00+0000",  # "+" decoded as a space
        "from=2026-02-22T06:00-06:00&to=2026-02-22T12:00-0600",
        "from=2026-02-22T17:30%2B05:30&to=2026-02-22T23:30%2B05:30",
    ],
)
def test_a_links_offset_is_honoured_on_mexico_citys_clock(query):
    link = parse_query(query, **BOUNDS)
    assert link.notices == []
    assert link.window == SIX_TO_NOON
    assert all(moment.tzinfo is MEXICO_CITY for moment in link.window)


def test_a_half_hour_offset_is_rounded_on_mexico_citys_clock():
    """06:30 Mexico City written in India's time: the window opens at 06:00 Mexico City,
    the whole hour before, not at a whole hour of the link's own clock."""
    link = parse_params({"from": "2026-02-22T18:00+05:30", "to": "2026-02-22T12:00"}, **BOUNDS)
    assert link.window == SIX_TO_NOON


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-02-22T06:00+25:00"},
        {"from": "2026-02-22T06:00+1"},
        {"to": "2026-02-22T06:00UTC"},
        {"from": "2026-02-22T06:00", "to": "yesterday"},
    ],
)
@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Ignored an unreadable"), ("es", "no se pudo leer")]
)
def test_an_unreadable_link_time_is_dropped_with_a_notice(params, lang, words):
    link = parse_params(params, lang=lang, **BOUNDS)
    assert link.window is None  # the page's default window
    assert len(link.notices) == 1 and words in link.notices[0]
    assert next(iter(params.values())) in link.notices[0]


# ---------------------------------------------------------------- day/month order


@pytest.mark.parametrize(
    ("texts", "order"),
    [
        (["3/4/2026", "25/02/2026"], DAY_FIRST),
        (["3/4/2026", "02/25/2026"], MONTH_FIRST),
        (["3/4/2026", "4/4/2026", "2026-02-25"], None),  # nothing proves an order
        (["25/02/2026", "02/25/2026"], None),  # both: no order
        (["25.02.2026", "1.2.2026"], DAY_FIRST),
        (["02-25-2026 10:00-06:00"], MONTH_FIRST),
    ],
)
def test_a_columns_values_prove_its_order(texts, order):
    assert DayMonthOrder(texts).order == order


@pytest.mark.parametrize(
    ("texts", "text", "read"),
    [
        (["25/02/2026"], "3/4/2026", "2026-04-03"),
        (["02/25/2026"], "3/4/2026", "2026-03-04"),
        (["02/25/2026"], "25/02/2026 10:00-06:00", "2026-02-25 10:00-06:00"),  # proves itself
        ([], "4/4/2026", "2026-04-04"),  # the same either way
        ([], "2026-02-22T10:00-06:00", "2026-02-22T10:00-06:00"),  # not a numeric date
    ],
)
def test_numeric_dates_become_iso_in_the_columns_order(texts, text, read):
    assert DayMonthOrder([*texts, text]).iso(text) == read


@pytest.mark.parametrize(
    ("texts", "reason"),
    [
        (["3/4/2026"], "2026-04-03 (day first) or 2026-03-04 (month first)?"),
        (["3/4/2026", "25/02/2026", "02/25/2026"], "day first (25/02/2026, value 2)"),
        (["13/13/2026"], "impossible date"),
        (["0/5/2026"], "impossible date"),
    ],
)
def test_a_date_the_column_cannot_settle_is_refused(texts, reason):
    with pytest.raises(TimestampError) as caught:
        DayMonthOrder(texts).iso(texts[0])
    assert reason in str(caught.value)


def test_parse_timestamp_reads_a_numeric_date_in_the_given_order():
    order = DayMonthOrder(["25/02/2026 10:00-06:00", "3/4/2026 10:00-06:00"])
    assert parse_timestamp("3/4/2026 10:00-06:00", order) == datetime(
        2026, 4, 3, 10, tzinfo=timezone(timedelta(hours=-6))
    )
    with pytest.raises(TimestampError, match="ambiguous day/month"):
        parse_timestamp("3/4/2026 10:00-06:00")  # alone, nothing settles it


# ---------------------------------------------------------------- files

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "fatalities",
]


def acled_row(event_id: str, date: str) -> dict:
    values = [event_id, date, "1", "Battles", "Armed clash", "Jalisco", "Tapalpa", "Tapalpa"]
    return dict(zip(ACLED_COLUMNS, [*values, "19.94", "-103.76", "1", "Milenio", "0"], strict=True))


def written(date: str, form: str) -> str:
    """A date as a file of `form` holds it: ours need a time and an offset too."""
    if form.startswith("acled"):
        return date
    return date + (" 10:00-06:00" if "/" in date else "T10:00-06:00")


def incidents_file(dates: list[str], form: str) -> tuple[bytes, str]:
    """A file of `form` whose records have these dates and ids "1", "2"...: (bytes, name)."""
    if form.startswith("acled"):
        rows = [acled_row(str(i), d) for i, d in enumerate(dates, start=1)]
        if form == "acled-json":
            return json.dumps({"data": rows}).encode(), "acled.json"
        return to_csv(rows), "acled.csv"
    rows = [incident_row(incident_id=str(i), start=d) for i, d in enumerate(dates, start=1)]
    if form == "geojson":
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-103.3475, 20.6767]},
                "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
            }
            for row in rows
        ]
        document = {"type": "FeatureCollection", "features": features}
        return json.dumps(document).encode(), "mine.geojson"
    if form == "tsv":
        return to_csv(rows, delimiter="\t"), "mine.tsv"
    return to_csv(rows), "mine.csv"


# form -> (the field a problem names, what its rows count, the first record's number)
FORMS = {
    "csv": ("start", "line", 2),
    "tsv": ("start", "line", 2),
    "geojson": ("start", "feature", 1),
    "acled-csv": ("event_date", "line", 2),
    "acled-json": ("event_date", "record", 1),
}
# (case, dates, {record: the date it is read as}, errors {record: words}, the warning's
# (record, words) or None); records are 0-based positions in the file.
DATE_CASES = [
    (
        "nothing proves an order",
        ["3/4/2026", "2026-02-22"],
        {1: "2026-02-22"},
        {0: "2026-04-03 (day first) or 2026-03-04 (month first)?"},
        None,
    ),
    (
        "01/02 alone",
        ["01/02/2026"],
        {},
        {0: "2026-02-01 (day first) or 2026-01-02 (month first)?"},
        None,
    ),
    (
        "25/02 proves day first",
        ["3/4/2026", "25/02/2026", "01/02/2026"],
        {0: "2026-04-03", 1: "2026-02-25", 2: "2026-02-01"},
        {},
        (1, "2 dates of this column that could be day/month or month/day are read day first"),
    ),
    (
        "02/25 proves month first",
        ["01/02/2026", "3/4/2026", "02/25/2026"],
        {0: "2026-01-02", 1: "2026-03-04", 2: "2026-02-25"},
        {},
        (2, "are read month first (MM/DD/YYYY), as this date shows"),
    ),
    (
        "both orders proved",
        ["25/02/2026", "3/4/2026", "02/25/2026", "4/4/2026"],
        {0: "2026-02-25", 2: "2026-02-25", 3: "2026-04-04"},
        {1: "this column has dates written day first ({day}, {unit} {r0}) and month first "
         "({month}, {unit} {r2})"},
        None,
    ),
]  # fmt: skip


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize(
    ("dates", "read", "errors", "warning"),
    [case[1:] for case in DATE_CASES],
    ids=[case[0] for case in DATE_CASES],
)
def test_day_month_dates_in_every_file_format(bundle, form, dates, read, errors, warning):
    field, unit, first = FORMS[form]
    values = [written(d, form) for d in dates]
    data, name = incidents_file(values, form)
    result = check_incidents(data, name, bundle.locations, bundle.states, keep_all=True)
    # Every valid row kept, each date read as the column's order says.
    starts = dict(zip(result.frame["incident_id"], result.frame["start"], strict=True))
    assert {int(i) - 1: s.date().isoformat() for i, s in starts.items()} == read
    dated = [p for p in result.report.problems if p.field == field]
    found = [p for p in dated if p.severity == "error"]
    assert len(found) == len(errors), [str(p) for p in result.report.problems]
    for problem, (record, words) in zip(found, sorted(errors.items()), strict=True):
        if "{" in words:  # the proofs' values and places
            words = words.format(day=values[0], month=values[2], unit=unit, r0=first, r2=first + 2)
        assert (problem.file, problem.row, problem.value) == (name, first + record, values[record])
        assert problem.unit == unit and words in problem.reason
        assert "fecha ambigua entre día y mes" in problem.reason_in("es")
    warnings = [p for p in dated if p.severity == "warning"]
    notes = [p for p in warnings if "as this date shows" in p.reason]
    # each row the column's order settled is named too, with the date it was read as
    for row_note in (p for p in warnings if p not in notes):
        record = row_note.row - first
        assert row_note.value == values[record]
        assert f"as {read[record]}, the order another date" in row_note.reason
    if warning is None:
        assert warnings == []
    else:
        [note] = notes
        record, words = warning
        assert (note.file, note.row, note.value) == (name, first + record, values[record])
        assert words in note.reason
        assert "se leen con el" in note.reason_in("es")


def test_acled_event_dates_follow_the_columns_order():
    def dates(*texts):
        return acled.event_dates(pd.Series(list(texts), dtype="str")).tolist()

    assert dates("3/4/2026") == [""]  # was 3 April, silently
    assert dates("01/02/2026") == [""]  # was 1 February, silently
    assert dates("3/4/2026", "25/02/2026") == ["2026-04-03", "2026-02-25"]
    assert dates("01/02/2026", "02/25/2026") == ["2026-01-02", "2026-02-25"]
    assert dates("22-02-2026", "22 February 2026") == ["2026-02-22", "2026-02-22"]


def test_key_moments_read_numeric_dates_in_their_columns_order():
    rows = [
        {"at": at, "time_precision": "hour", "headline": "h", "source_url": "https://e.org/a"}
        for at in ("25/02/2026 10:00-06:00", "3/4/2026 10:00-06:00")
    ]
    frame, report = validate_key_moments(to_csv(rows), "moments.csv")
    assert [moment.date().isoformat() for moment in frame["at"]] == ["2026-02-25", "2026-04-03"]
    [note] = [p for p in report.problems if "as this date shows" in p.reason]
    assert (note.severity, note.row, note.field) == ("warning", 2, "at")
    [read] = [p for p in report.problems if p is not note]  # the row it settled, named
    assert (read.severity, read.row, read.value) == ("warning", 3, "3/4/2026 10:00-06:00")


def test_the_validate_report_says_it_in_both_languages(cli, tmp_path):
    path = tmp_path / "acled.csv"
    path.write_bytes(to_csv([acled_row("1", "3/4/2026"), acled_row("2", "25/02/2026")]))
    code, out, _ = cli("validate", str(path))
    assert code == 0
    assert f"WARNING: {path}, line 3, field 'event_date' (value '25/02/2026'): 1 date" in out
    code, out, _ = cli("validate", "--lang", "es", str(path))
    assert f"ADVERTENCIA: {path}, línea 3, campo 'event_date' (valor '25/02/2026'): 1 fecha" in out
    path.write_bytes(to_csv([acled_row("1", "3/4/2026"), acled_row("2", "2026-02-25")]))
    code, out, _ = cli("validate", "--lang", "es", str(path))
    assert code == 1
    assert f"ERROR: {path}, línea 2, campo 'event_date' (valor '3/4/2026'): fecha ambigua" in out


@pytest.mark.parametrize(
    ("params", "window", "notice"),
    [
        ({"from": "2026-02-22T12:00Z", "to": "2026-02-23T00:00-06:00"}, (6, 24), None),
        ({"from": "2026-02-22T12:00 00:00", "to": "2026-02-23T06:00+0000"}, (6, 24), None),
        ({"from": "2026-02-22T12:00+25:00"}, None, "Ignored an unreadable time window"),
    ],
)
def test_the_page_opens_a_links_window_on_mexico_citys_clock(params, window, notice):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import open_sections

    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    at = open_sections(AppTest.from_file(str(app), default_timeout=60))
    for key, value in {**params, "lang": "en"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    chosen = at.select_slider(key="window").value
    # as the reader reads them: escape_markdown's references decoded, its word joiners out
    warnings = [html.unescape(w.value).replace("\u2060", "") for w in at.warning]
    if window is None:
        assert any(notice in w and params["from"] in w for w in warnings), warnings
    else:
        day = datetime(2026, 2, 22)
        assert chosen == tuple(day + timedelta(hours=h) for h in window)
        assert not warnings
