"""The page through Streamlit's AppTest: it runs, widgets change what is shown."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from dashboard.analysis.filters import ViewSpec, apply
from dashboard.analysis.quality import check_rules
from dashboard.analysis.stats import key_figures
from dashboard.ingest.locate import state_at
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.captions import KEY_FIGURES
from dashboard.render.mapstates import drawn_states
from dashboard.text.escape import escape_markdown
from tests.conftest import ROOT, open_sections

APP = str(ROOT / "dashboard" / "app.py")
DEFAULT = (datetime(2026, 2, 22), datetime(2026, 2, 24))


def frame_with(at, column: str):
    """The one dataframe element on the page that has this column."""
    (found,) = [d for d in at.dataframe if column in d.value.columns]
    return found


def table_with(at, column: str):
    """The value of the one dataframe on the page with this column (the per-state table has
    "official_source", the incidents table "incident_id")."""
    return frame_with(at, column).value


def button(at, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


def metrics(at) -> dict[str, int | None]:
    """The map's own counts in the lead figures, by KeyFigures field: the incidents' value
    and, under each official figure, its "137 on the map"; None for a figure a reader's
    file does not carry ("not in this file": stats.carried_figures)."""
    out = {}
    for metric, (name, official, _, _) in zip(at.metric, KEY_FIGURES, strict=True):
        # A reader's file has its own counts only, no official figure above them.
        text = metric.value if official is None or not metric.delta else metric.delta
        out[name] = (
            None if text == "not in this file" else int(str(text).split()[0].replace(",", ""))
        )
    return out


def official_metrics(at) -> dict[str, str]:
    """The official national figures in the lead (their shown value: "—" when none had
    been given by the window's end), by KeyFigures field."""
    return {
        name: metric.value
        for metric, (name, official, _, _) in zip(at.metric, KEY_FIGURES, strict=True)
        if official is not None
    }


def expected(bundle, start, end, **filters) -> dict[str, int]:
    view = ViewSpec(start.replace(tzinfo=MEXICO_CITY), end.replace(tzinfo=MEXICO_CITY), **filters)
    figures = key_figures(apply(view, bundle.incidents))
    return {
        "incidents": figures.incidents,
        "blockades": figures.blockades,
        "states_affected": figures.states_affected,
        "fatalities": figures.fatalities,
        "arrests": figures.arrests,
    }


def test_default_view_matches_the_core(app, bundle):
    assert app.select_slider(key="window").value == DEFAULT
    assert metrics(app) == expected(bundle, *DEFAULT)
    assert app.title[0].value.startswith("After the Tapalpa raid")
    assert len(app.get("component_instance")) == 1  # the map
    assert len(table_with(app, "official_source")) == 32


def test_moving_the_start_past_the_first_blockades_changes_the_figures(app, bundle):
    later = (datetime(2026, 2, 22, 12), DEFAULT[1])
    app.select_slider(key="window").set_value(later).run()
    assert not app.exception
    assert metrics(app) == expected(bundle, *later)
    assert metrics(app) != expected(bundle, *DEFAULT)


def test_selecting_jalisco_limits_the_table(app, bundle):
    app.checkbox(key="all_states").uncheck().run()
    app.multiselect(key="states").set_value(["Jalisco"]).run()
    assert not app.exception
    assert table_with(app, "official_source")["state"].tolist() == ["Jalisco"]
    assert metrics(app) == expected(bundle, *DEFAULT, states=frozenset({"14"}))


def test_selecting_no_state_shows_an_empty_state(app):
    app.checkbox(key="all_states").uncheck().run()
    assert not app.exception
    assert any("No state selected" in i.value for i in app.info)
    assert not app.metric and not app.get("component_instance")


def test_selecting_no_event_type_shows_an_empty_state(app):
    app.multiselect(key="types").set_value([]).run()
    assert not app.exception
    assert any("No event type selected" in i.value for i in app.info)


def test_reset_brings_back_everything(app, bundle):
    app.checkbox(key="all_states").uncheck().run()
    app.multiselect(key="types").set_value(["blockade"]).run()
    button(app, "Reset filters").click().run()
    assert app.checkbox(key="all_states").value is True
    assert metrics(app) == expected(bundle, *DEFAULT)


def test_only_statements_selected_says_so(app):
    app.multiselect(key="types").set_value(["official_statement"]).run()
    assert not app.exception
    assert any("No incidents match" in i.value for i in app.info)


def test_map_clicks_resolve_to_states(bundle):
    assert state_at(bundle.states, -103.35, 20.67) == "14"
    assert state_at(bundle.states, -110.0, 17.0) is None  # the Pacific


def test_a_tap_selects_the_state_the_map_drew_there(bundle):
    """Points just inside each drawn outline, near its edge (where the simplified,
    rounded outline the reader sees and the full one part), resolve to that state."""
    drawn = drawn_states(bundle.states_display)
    rng = np.random.default_rng(7)
    disagree = 0
    for code, shape in zip(drawn.cve_ent, drawn.geometry, strict=True):
        along = shapely.line_interpolate_point(
            shape.boundary, rng.uniform(0, 1, 100), normalized=True
        )
        xs = shapely.get_x(along) + rng.uniform(-0.002, 0.002, 100)
        ys = shapely.get_y(along) + rng.uniform(-0.002, 0.002, 100)
        inside = shapely.contains_properly(shape, shapely.points(xs, ys))
        for x, y in zip(xs[inside], ys[inside], strict=True):
            assert state_at(drawn, x, y) == code, (code, x, y)
            disagree += state_at(bundle.states, x, y) != code
    assert disagree > 100  # the full outlines would have sent these taps elsewhere


def app_with(params: dict[str, str]) -> AppTest:
    """The page opened from a link with `params`, its closed sections open."""
    at = open_sections(AppTest.from_file(APP, default_timeout=60))
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_permalink_restores_the_view(bundle):
    at = app_with(
        {
            "from": "2026-02-22T06:00",
            "to": "2026-02-23T00:00",
            "states": "JAL,MIC",
            "types": "blockade,vehicle_arson",
            "layers": "states,incidents",
            "v": bundle.version,
        }
    )
    assert at.select_slider(key="window").value == (datetime(2026, 2, 22, 6), datetime(2026, 2, 23))
    assert at.checkbox(key="all_states").value is False
    assert at.multiselect(key="states").value == ["Jalisco", "Michoacán"]
    assert at.multiselect(key="types").value == ["blockade", "vehicle_arson"]
    assert at.multiselect(key="layers").value == ["states", "incidents"]
    assert not at.warning
    assert metrics(at) == expected(
        bundle,
        datetime(2026, 2, 22, 6),
        datetime(2026, 2, 23),
        states=frozenset({"14", "16"}),
        event_types=frozenset({"blockade", "vehicle_arson"}),
    )
    assert at.query_params["states"] == "JAL,MIC"


def test_the_address_follows_every_change(app):
    app.checkbox(key="all_states").uncheck().run()
    app.multiselect(key="states").set_value(["Jalisco"]).run()
    assert app.query_params["states"] == "JAL"
    assert app.query_params["from"] == "2026-02-22T00:00"
    app.select_slider(key="window").set_value((datetime(2026, 2, 22, 12), DEFAULT[1])).run()
    assert app.query_params["from"] == "2026-02-22T12:00"


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"from": "garbage", "states": "ZZZ"}, "unknown state"),
        ({"from": "2031-01-01T00:00", "to": "2031-01-02T00:00"}, "outside the data"),
        ({"v": "0000000000"}, "data has been updated"),
        ({"zoom": "<b>"}, "map zoom"),
    ],
)
def test_garbage_links_show_a_notice_not_an_error(bundle, params, notice):
    at = app_with(params)
    assert any(notice in w.value for w in at.warning), [w.value for w in at.warning]
    assert metrics(at) == expected(bundle, *DEFAULT)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765/"),
        ("http://127.0.0.1:8765/?from=2026-02-22T00:00", "http://127.0.0.1:8765/"),
        ("https://example.org/map/?a=b#c", "https://example.org/map/"),
        ("https://example.org/map", "https://example.org/map"),
        ("", ""),
        (None, ""),
    ],
)
def test_links_start_from_the_page_address_with_a_path(url, expected):
    from dashboard.render.share import page_address

    assert page_address(url) == expected


def test_share_panel_offers_link_embed_and_downloads(app):
    texts = [t.value for t in (*app.text_input, *app.text_area)]
    assert not app.code  # st.code would load a 1.5 MB syntax highlighter on the first view
    assert any("?from=2026-02-22T00:00" in t for t in texts)
    assert any("<iframe" in t and "embed=true" in t for t in texts)
    assert any(t.startswith("Between Sun 22 Feb, 00:00") for t in texts)
    assert any("python -m dashboard publish" in c.value for c in app.caption)
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels[:5] == [
        "PNG for an article (700 px, 2x)",
        "PNG for social (1200×630)",
        "PNG square (1080×1080)",
        "PNG large (1600×1000)",
        "SVG for an article",
    ]
    assert labels[5] == "Download interactive HTML"
    assert labels[6].startswith("Download the ") and labels[6].endswith(
        "records in this view (CSV)"
    )


def test_share_panel_offers_the_static_copy_when_one_is_published(monkeypatch):
    monkeypatch.setenv("TAPALPA_PUBLISHED_URL", "https://static.example.org/tapalpa")
    at = app_with({"states": "JAL"})
    static = [t.value for t in at.text_area if t.label.startswith("Or embed the static copy")]
    assert len(static) == 1
    assert static[0].startswith('<iframe src="https://static.example.org/tapalpa/states/jal.html"')
    assert any("heavy traffic" in c.value for c in at.caption)


def test_an_uploaded_file_gets_a_row_by_row_report_and_can_be_shown(app):
    from tests.conftest import incident_row, to_csv

    content = to_csv(
        [
            incident_row(),
            incident_row(incident_id="t2", start="2026-02-22T10:00"),
            incident_row(incident_id="t3", latitude="nan"),
            incident_row(incident_id="t4", latitude="26.0508", longitude="-98.2979", cve_ent="28"),
        ]
    )
    app.file_uploader(key="upload").set_value(("mine.csv", content, "text/csv")).run()
    assert not app.exception
    assert any("2 valid rows, 2 errors" in e.label for e in app.expander)
    report = frame_with(app, "reason").value
    assert report[["row", "field"]].values.tolist() == [[3, "start"], [4, "latitude"]]
    labels = [b.proto.label for b in app.get("download_button")]
    assert "Download this report (CSV)" in labels
    assert metrics(app)["incidents"] > 2  # still the bundled data
    app.checkbox(key="use_upload").check().run()
    assert not app.exception
    assert metrics(app) == {
        "incidents": 2,
        "blockades": 2,
        "states_affected": 2,
        # no row gives `fatalities` or `arrested`: not a count of 0 (tester 11a #5)
        "fatalities": None,
        "arrests": None,
    }
    # The official Tapalpa figures are compared only with the bundled data.
    assert any("compared with the bundled data only" in c.value for c in app.caption)
    # The downloads name the file and claim nothing of the bundled data.
    assert any("your file mine.csv, how it was read" in c.value for c in app.caption)


def test_an_unreadable_upload_is_reported_not_raised(app):
    app.file_uploader(key="upload").set_value(("bad.geojson", b"{nope", "application/json")).run()
    assert not app.exception
    assert any("0 valid rows, 1 error," in e.label for e in app.expander)
    app.checkbox(key="use_upload").check().run()
    assert not app.exception
    assert metrics(app)["incidents"] > 0  # nothing valid to show: the bundled data stays
    assert any("no valid rows" in w.value for w in app.warning)


def test_the_page_shows_the_corrections_log(app):
    """Readers see what changed in the data, when, why, with an escaped source link."""
    assert "Corrections and updates" in [s.value for s in app.subheader]
    [log] = [e for e in app.expander if e.label.startswith("The log's ")]
    text = "\n".join(m.value for m in log.markdown)
    assert "jal-gdl-alcalde-blockade: Merged into jal-gdl-burned-vehicles" in text
    assert "qroo-tulum-coba: Record withdrawn" in text
    assert 'rel="noopener noreferrer">source</a>' in text
    assert "The record&#39;s own source reports two suspects killed" in text  # escaped
    # Dates as the page writes them (Babel), never ISO.
    day = r"^- \*\*(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} 2026\*\* · "
    assert re.search(day, text, re.M)
    assert not re.search(r"\*\*\d{4}-\d{2}-\d{2}\*\*", text)
    assert any("Corrections and updates:" in c.value for c in app.caption)


def test_key_figures_show_the_official_national_figures_with_hour_and_source(app):
    lead = next(c.value for c in app.caption if c.value.startswith("Window:"))
    assert lead.startswith("Window: Sun 22 Feb 00:00 to Tue 24 Feb 00:00, Mexico City time.")
    assert "Official figures given by Gabinete de Seguridad, 22 Feb 20:00 (" in lead
    line = next(c.value for c in app.caption if "latest by the window's end" in c.value)
    assert official_metrics(app) == {
        "blockades": "252",
        "states_affected": "20",
        "fatalities": "62",
        "arrests": "70",
    }
    assert "(national, latest by the window's end)" in line
    assert "**252** blockades and **20** states (Gabinete de Seguridad, 22 Feb 20:00, " in line
    assert 'href="https://www.elhorizonte.mx/' in line
    assert "**62** deaths (" in line and "23 Feb 08:00" in line
    assert "**70** arrests (" in line


def test_key_figures_say_the_official_figures_are_national_when_states_are_chosen(app):
    app.checkbox(key="all_states").uncheck().run()
    app.multiselect(key="states").set_value(["Jalisco"]).run()
    line = next(c.value for c in app.caption if "Official figures (" in c.value)
    assert "Official figures (all of Mexico, not only the states chosen" in line


def test_state_table_compares_at_the_official_hour_and_shows_dashes(app, bundle):
    from dashboard.analysis.stats import state_counts

    table = frame_with(app, "official_source")
    assert table.proto.placeholder == "—"
    shown = table.value.set_index("state")
    view = ViewSpec(*(t.replace(tzinfo=MEXICO_CITY) for t in DEFAULT))
    counts = state_counts(
        apply(view, bundle.incidents), bundle.official, view, bundle.incidents
    ).set_index("state")
    assert (
        shown.loc["Jalisco", "located_at_official"] == counts.loc["Jalisco", "located_at_official"]
    )
    assert shown.loc["Jalisco", "difference"] == counts.loc["Jalisco", "difference"]
    assert shown.loc["Jalisco", "official_source"] == "Gabinete de Seguridad, 22 Feb 20:00"
    # no official figure, or one without an hour: empty cells, shown as the placeholder
    assert shown["difference"].isna().sum() == 31
    assert "None" not in shown.astype(str).replace({"<NA>": "", "nan": ""}).to_string()


def test_data_downloads_offer_every_export(app):
    labels = [b.proto.label for b in app.get("download_button")]
    for label in (
        "GeoJSON (QGIS, web maps)",
        "GeoParquet (GeoPandas, R sf)",
        "Per-state table (CSV)",
        "Data package (zip: all files, schemas, licence)",
    ):
        assert label in labels


def test_quality_view_lists_each_kind_with_a_table_and_a_download(app):
    app.toggle(key="show_quality").set_value(True).run()
    assert not app.exception
    labels = [t.label for t in app.tabs]
    assert labels[0].startswith("Points outside their declared state (")
    assert any(label.startswith("Candidate duplicates (") for label in labels)
    frames = [d for d in app.dataframe if (d.proto.id or "").endswith("quality_duplicates")]
    assert len(frames) == 1 and frames[0].proto.placeholder == "—"
    duplicates = frames[0].value
    assert {"incident_id", "other_id", "summary", "other_summary"} <= set(duplicates.columns)
    downloads = [b.proto.label for b in app.get("download_button")]
    assert sum(label.startswith("Download this table") for label in downloads) == len(labels)
    # Each check's rule (geodata/README.md, "Data checks") is shown: under its tab, or
    # for the checks of the bundled files alone, in the expander after the tabs.
    captions = " ".join(c.value for c in app.caption)
    for key, rule in check_rules("en").items():
        assert escape_markdown(rule) in captions, key


def test_quality_view_follows_the_state_filter(app):
    app.checkbox(key="all_states").uncheck().run()
    app.multiselect(key="states").set_value(["Baja California"]).run()
    app.toggle(key="show_quality").set_value(True).run()
    assert not app.exception
    outside = next(d for d in app.dataframe if (d.proto.id or "").endswith("quality_outside_state"))
    assert sorted(outside.value["incident_id"]) == [
        "bc-tecate-km37",
        "bc-tecate-rancho-sanjose",
        "bc-tecate-testerazo",
    ]


# ------------------------------------------------------------------ language


def page_lang_marker(at) -> str:
    """The language the page tells the browser (<html lang>), from its st.html element."""
    bodies = [h.proto.body for h in at.get("html")]
    found = [re.search(r'data-tim-lang="(\w+)"', b) for b in bodies]
    return next(m.group(1) for m in found if m)


def test_without_a_choice_the_page_is_english(app):
    # AppTest's browser reports no locale: English.
    assert app.radio(key="lang").value == "en"
    assert page_lang_marker(app) == "en"
    assert app.query_params["lang"] == "en"


def test_lang_in_the_link_chooses_spanish_and_notices_follow(bundle):
    at = app_with({"lang": "es", "states": "JAL,XYZ"})
    assert at.radio(key="lang").value == "es"
    assert page_lang_marker(at) == "es"
    assert [w.value for w in at.warning] == ["Se ignoró una clave de estado desconocida: “XYZ”."]
    # the same figures under Spanish labels
    assert list(metrics(at).values()) == list(
        expected(bundle, *DEFAULT, states=frozenset({"14"})).values()
    )
    assert at.metric[0].label == "Incidentes en este periodo"


def test_switching_language_keeps_the_view():
    at = app_with(
        {
            "from": "2026-02-22T06:00",
            "to": "2026-02-23T00:00",
            "states": "JAL,MIC",
            "types": "blockade",
            "lat": "20.6700",
            "lon": "-103.3500",
            "zoom": "7",
            "lang": "en",
        }
    )
    before = dict(at.query_params)
    figures = metrics(at)
    labels = [m.label for m in at.metric]
    at.radio(key="lang").set_value("es").run()
    assert not at.exception
    after = dict(at.query_params)
    assert after.pop("lang") == "es" and before.pop("lang") == "en"
    assert after == before
    assert list(metrics(at).values()) == list(figures.values())  # same figures, Spanish labels
    assert [m.label for m in at.metric] != labels
    assert page_lang_marker(at) == "es"
    embed = next(t.value for t in at.text_area if "<iframe" in t.value)
    assert "lang=es" in embed and "embed=true" in embed


def test_the_page_language_script_survives_the_html_sanitiser():
    """DOMPurify (in st.html) drops a script whose text contains markup-like `<`."""
    script = (Path(APP).parent / "static" / "page_lang.js").read_text(encoding="utf-8")
    assert "<" not in script and "data-tim-lang" in script


def test_the_upload_limit_is_stated_before_a_file_is_chosen(app):
    uploader = app.get("file_uploader")[0]
    assert "up to 50 MB" in uploader.proto.label
    assert {".csv", ".tsv", ".txt", ".geojson", ".json"} <= set(uploader.proto.type)
    assert any("Files up to 50 MB" in c.value for c in app.caption)


def test_an_acled_upload_says_how_it_was_read(app):
    from tests.test_import import DATA

    content = (DATA / "acled_export.csv").read_bytes()
    app.file_uploader(key="upload").set_value(("acled.csv", content, "text/csv")).run()
    assert not app.exception
    assert any("Read as an ACLED CSV" in c.value for c in app.caption)
    mapping = frame_with(app, "our column").value
    assert ["cve_ent", "admin1"] in mapping[["our column", "from"]].values.tolist()


def test_an_acled_records_details_show_its_outlets_once_and_its_notes(app):
    """Tester 9, finding 9: the details said "Sources (per ACLED): X" and then "Sources:
    none given", and ACLED's notes were not shown."""
    from tests.test_import import DATA

    content = (DATA / "acled_export.csv").read_bytes()
    app.file_uploader(key="upload").set_value(("acled.csv", content, "text/csv")).run()
    app.checkbox(key="use_upload").check().run()
    choice = app.selectbox(key="incident_choice")
    chosen = next(o for o in choice.options if "Uruapan" in o)
    choice.select(chosen).run()
    assert not app.exception
    (details,) = [m.value for m in app.markdown if "Test record" in m.value]
    assert "Sources &#40;per ACLED&#41;: Example Outlet C" in details
    assert details.count("ACLED") == 1
    assert "none given" not in details


def test_the_page_and_the_cli_report_the_same_totals(app, tmp_path):
    """One checker (analysis/check_file.py): an upload's report has the data checks'
    findings (here a candidate duplicate and a count the summary states) as the CLI's
    does, with the same totals."""
    from tests.conftest import incident_row, run_cli_in_process, to_csv

    content = to_csv(
        [
            incident_row(incident_id="p1"),
            incident_row(incident_id="p2", summary="Two men were killed at a roadblock."),
            incident_row(incident_id="p3", latitude="nan"),
        ]
    )
    app.file_uploader(key="upload").set_value(("mine.csv", content, "text/csv")).run()
    assert not app.exception
    (title,) = [e.label for e in app.expander if e.label.startswith("Your file")]
    path = tmp_path / "mine.csv"
    path.write_bytes(content)
    cli = run_cli_in_process("validate", str(path), environ={"LANG": "C", "LC_ALL": ""})
    totals = cli.stdout.strip().splitlines()[-1]
    assert totals.startswith("1 error, ") and "warnings" in totals
    assert title.endswith(totals), (title, totals)
    fields = frame_with(app, "reason").value["reason"].tolist()
    assert any("duplicate" in r or "apart" in r for r in fields), fields


def test_a_shown_file_is_its_own_view(app):
    """A year-long ACLED file shown: the slider runs from its first to its last day by
    days and opens on all of it; no official figure is shown; putting it away brings the
    bundled data's window back."""
    from tests.test_import import DATA

    lines = (DATA / "acled_export.csv").read_text("utf-8").splitlines()
    year = lines[1].replace("MEX90001,22 February 2026,2026", "MEX90004,3 March 2025,2025")
    content = "\n".join([*lines, year]) + "\n"
    app.file_uploader(key="upload").set_value(("acled.csv", content.encode(), "text/csv")).run()
    app.checkbox(key="use_upload").check().run()
    assert not app.exception
    slider = app.select_slider(key="window")
    # To the midnight after Tijuana's month-precise record (February 2026, Pacific time).
    assert slider.value == (datetime(2025, 3, 3), datetime(2026, 3, 2))
    assert metrics(app)["incidents"] == 4
    assert not any("(official)" in m.label for m in app.metric)
    assert any("compared with the bundled data only" in c.value for c in app.caption)
    assert "End +1 day" in [b.label for b in app.button]
    # The per-state table has the file's counts only: no official column.
    (per_state,) = [
        d.value
        for d in app.dataframe
        if "incidents_possible" in d.value.columns and "municipality" not in d.value.columns
    ]
    assert "official_blockades" not in per_state.columns
    assert per_state["incidents"].sum() == 4
    # A year is not charted hour by hour (the section says why and what to use instead).
    assert any("longer than two weeks" in c.value for c in app.caption)
    # The deck and the replay caption describe the file, not the bundled event.
    decks = [m.value for m in app.markdown if "tim-deck" in m.value]
    assert decks == ['<p class="tim-deck">Your file: 3 Mar 2025 to 2 Mar 2026, day by day</p>']
    assert any("replay the window day by day" in c.value for c in app.caption)
    app.checkbox(key="use_upload").uncheck().run()
    assert not app.exception
    assert app.select_slider(key="window").value == DEFAULT
    assert any("Reported hour by hour since" in m.value for m in app.markdown)


def test_a_hostile_upload_lists_the_first_thousand_problems(app):
    from tests.test_import import hostile_file

    app.file_uploader(key="upload").set_value(("bad.csv", hostile_file(300), "text/csv")).run()
    assert not app.exception
    assert any("3,000 errors" in e.label and "first 1,000" in e.label for e in app.expander)
    assert len(frame_with(app, "reason").value) == 1_000


def test_the_incidents_table_lists_what_is_in_view_and_searches_without_accents(app, bundle):
    from dashboard.render.incident_list import incident_table

    view = ViewSpec(DEFAULT[0].replace(tzinfo=MEXICO_CITY), DEFAULT[1].replace(tzinfo=MEXICO_CITY))
    rows = table_with(app, "incident_id")
    assert rows["incident_id"].tolist() == (
        incident_table(apply(view, bundle.incidents)).rows["incident_id"].tolist()
    )
    # the list names every incident the map draws: those counted, and apart those only
    # possibly in the window (its in_window column says which)
    figures = key_figures(apply(view, bundle.incidents))
    assert (rows["in_window"] == "yes").sum() == metrics(app)["incidents"]
    assert (rows["in_window"] != "yes").sum() == figures.possible > 0
    app.text_input(key="incident_search").input("michoacan").run()
    assert not app.exception
    found = table_with(app, "incident_id")
    assert len(found) and set(found["state"]) == {"Michoacán"}
    assert any(f"{len(found)} incidents matching the search" in c.value for c in app.caption)


@pytest.mark.parametrize(
    ("label", "window"),
    [
        ("Mon 23 Feb", (datetime(2026, 2, 23), datetime(2026, 2, 24))),
        ("Sun 22 Feb", (datetime(2026, 2, 22), datetime(2026, 2, 23))),
    ],
)
def test_a_day_quick_choice_sets_the_window(app, bundle, label, window):
    app.get("button_group")[0].set_value(label).run()
    assert not app.exception
    assert app.select_slider(key="window").value == window
    assert metrics(app) == expected(bundle, *window)
    assert app.query_params["from"] == f"{window[0]:%Y-%m-%dT%H:%M}"


@pytest.mark.parametrize(
    ("label", "window"),
    [
        ("Start +1 h", (datetime(2026, 2, 22, 1), DEFAULT[1])),
        ("End −1 h", (DEFAULT[0], datetime(2026, 2, 23, 23))),
        ("End +1 h", (DEFAULT[0], datetime(2026, 2, 24, 1))),
    ],
)
def test_hour_steps_move_one_end_of_the_window(app, label, window):
    button(app, label).click().run()
    assert not app.exception
    assert app.select_slider(key="window").value == window
    button(app, label).click().run()
    step = window[0] - DEFAULT[0] + window[1] - DEFAULT[1]
    assert app.select_slider(key="window").value == (
        window[0] + step * (window[0] != DEFAULT[0]),
        window[1] + step * (window[1] != DEFAULT[1]),
    )


def test_the_map_frame_gets_a_title_saying_what_it_shows(app):
    (html,) = [h for h in app.get("html") if "data-map-title" in h.proto.body]
    assert (
        'data-map-title="Map: After the Tapalpa raid: reported incidents in Mexico, '
        "Sun 22 Feb 00:00 to Tue 24 Feb 00:00 Mexico City time." in html.proto.body
    )


def test_choosing_an_incident_focuses_it_and_shows_its_details_with_links(app, bundle):
    rows = table_with(app, "incident_id")
    chosen = rows[rows["source"].notna()].iloc[0]
    app.selectbox(key="incident_choice").set_value(chosen["incident_id"]).run()
    assert not app.exception
    assert app.session_state["focus_incident"] == chosen["incident_id"]
    details = [m.value for m in app.markdown if "Sources:" in m.value]
    assert len(details) == 1
    assert escape_markdown(chosen["when"]) in details[0]  # the raid's "(06:00–12:00 local)"
    assert f'<a href="{chosen["source"]}"' in details[0]
    # A window without that incident drops the choice instead of showing stale details.
    app.select_slider(key="window").set_value((datetime(2026, 3, 1), datetime(2026, 3, 2))).run()
    assert chosen["incident_id"] not in set(table_with(app, "incident_id")["incident_id"])
    assert app.selectbox(key="incident_choice").value is None
    assert app.session_state["focus_incident"] is None
    assert not [m for m in app.markdown if "Sources:" in m.value]


def test_the_map_caption_accounts_for_incidents_known_only_to_their_state():
    """The key figures count incidents placed only by state; the map cannot draw them: the
    caption under the map says how many there are, so the figures and the points add up."""
    from dashboard.ingest.bundle import load_bundle
    from dashboard.model.schema import NON_INCIDENT_TYPES

    at = app_with({"from": "2026-02-22T00:00", "to": "2026-02-25T00:00"})
    view = ViewSpec(
        datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 25, tzinfo=MEXICO_CITY)
    )
    selected = apply(view, load_bundle().incidents)
    counted = selected[~selected["event_type"].isin(NON_INCIDENT_TYPES)]
    state_level = int((counted["geo_precision"] >= 3).sum())
    drawn = int((counted["geo_precision"] < 3).sum())
    assert state_level > 0 and key_figures(selected).incidents == state_level + drawn
    captions = [c.value for c in at.caption]
    statements = int(((selected["geo_precision"] < 3) & ~selected.index.isin(counted.index)).sum())
    assert any(
        c.startswith(
            f"{drawn} incident points drawn. {statements} official statements are marked as well."
        )
        for c in captions
    ), captions
    assert any(
        c.startswith(f"{state_level} more incidents are known only to their state")
        for c in captions
    ), captions


@pytest.mark.parametrize("lang", ["es", "en"])
def test_quality_details_are_in_the_pages_language(lang):
    """The quality tables' `detail` column is written in the page's language."""
    from dashboard.analysis.quality import quality_tables
    from dashboard.ingest.bundle import load_bundle

    at = app_with({"lang": lang})
    at.toggle(key="show_quality").set_value(True).run()
    assert not at.exception, at.exception
    frame = next(d for d in at.dataframe if (d.proto.id or "").endswith("quality_imprecise"))
    shown = set(frame.value["detail"].dropna())
    bundle = load_bundle()
    wanted = set(quality_tables(bundle.incidents, bundle.states, lang)["imprecise"]["detail"])
    other = set(
        quality_tables(bundle.incidents, bundle.states, "en" if lang == "es" else "es")[
            "imprecise"
        ]["detail"]
    )
    assert shown and shown <= wanted and not shown & (other - wanted)


def test_a_window_before_the_raid_says_so_and_counts_nothing():
    """22 Feb 00:00-05:00 ends before the raid (06:00): 0 known, 0 possible, and the page
    says why it is empty."""
    at = app_with({"from": "2026-02-22T00:00", "to": "2026-02-22T05:00"})
    assert metrics(at)["incidents"] == 0
    assert not any("possible" in str(m.delta) for m in at.metric)
    assert any("ends before the raid" in i.value for i in at.info)


def test_the_trust_filter_changes_every_figure_says_so_and_enters_the_link(app):
    before = metrics(app)
    app.checkbox(key="trusted").check().run()
    assert not app.exception
    after = metrics(app)
    assert after["incidents"] < before["incidents"]
    said = [c.value for c in app.caption if "left out of every figure" in c.value]
    # The count is of the view's records (known or only possibly in the window): at least
    # the incidents the key figure lost.
    left_out = int(re.search(r"(\d+) disputed or single-source records", said[0]).group(1))
    assert left_out >= before["incidents"] - after["incidents"] > 0
    assert app.query_params["trust"] == "1"


def test_the_share_panel_says_a_link_cannot_carry_the_readers_file(app):
    from tests.conftest import incident_row, to_csv

    note = "cannot carry your file"
    assert not any(note in w.value for w in app.warning)  # the bundled data: links hold it
    content = to_csv([incident_row(), incident_row(incident_id="t2")])
    app.file_uploader(key="upload").set_value(("mine.csv", content, "text/csv")).run()
    assert not any(note in w.value for w in app.warning)  # checked, not shown: no notice
    app.checkbox(key="use_upload").check().run()
    assert not app.exception
    assert any(note in w.value for w in app.warning), [w.value for w in app.warning]
