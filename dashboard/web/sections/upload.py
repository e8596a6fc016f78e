"""The reader's own file: the uploader in the sidebar, the report on the file (the same as
`python -m dashboard validate`), and, on request, its valid rows in place of the bundled
data."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.analysis.check_worker import worker_for
from dashboard.ingest.read import MAX_FILE_MB
from dashboard.ingest.reading import Reading, how_read, reading_text
from dashboard.model.origin import UserFile
from dashboard.model.schema import report_rows
from dashboard.render.captions import EMPTY_CELL
from dashboard.render.popups import with_display_text
from dashboard.text.escape import escape_markdown, escape_text
from dashboard.text.i18n import N_, format_number, translation
from dashboard.web import state
from dashboard.web.data import PRECOMPUTE_TEXT_ROWS, PageData
from dashboard.web.upload_bounds import check_slot, client_address, keep_upload
from dashboard.web.view_cache import UploadResult, upload_results

UPLOAD_TYPES = ["csv", "tsv", "txt", "geojson", "json"]
FORMAT_NAMES = {
    "csv": "CSV",
    "geojson": "GeoJSON",
    "acled-csv": N_("an ACLED CSV (export tool or API)"),
    "acled-json": N_("an ACLED JSON (API)"),
    "acled-geojson": N_("ACLED events as GeoJSON features"),
}


def file_picker(lang: str = "en") -> None:
    """The sidebar's "Your data": the uploader, the limits before a file is chosen, and
    the choice to show the file's rows once one is."""
    t = translation(lang)
    megabytes = format_number(MAX_FILE_MB, lang)  # Streamlit's MB: MiB (ingest/read.py)
    # A label, not a heading: the sidebar comes before the page's h1 (sections/filters.py).
    label = escape_text(t.gettext("Your data"))
    st.markdown(
        f'<p class="tapalpa-sidebar-label">{label}</p>',
        unsafe_allow_html=True,
    )
    upload = st.file_uploader(
        t.gettext("Check an incident file (CSV, TSV, TXT, GeoJSON or ACLED; up to {mb} MB)").format(
            mb=megabytes
        ),
        type=UPLOAD_TYPES,
        key=state.UPLOAD,
        help=t.gettext(
            "Same columns as geodata/incidents.csv, or an ACLED export (CSV from the "
            "export tool, CSV or JSON from the API). Rows may give latitude, longitude and "
            "cve_ent instead of a location_id. Every problem is listed by line and field."
        ),
    )
    if upload is None:
        st.caption(
            t.gettext(
                "Files up to {mb} MB; larger ones are refused. UTF-8, UTF-16 (Excel's "
                "Unicode text) or Windows-1252; comma, semicolon or tab."
            ).format(mb=megabytes)
        )
    else:
        st.checkbox(
            t.gettext("Show my file's valid rows instead of the bundled data"),
            key=state.USE_UPLOAD,
        )


def check_upload(
    geodata: str, version: str, name: str, content: bytes, progress=None, lang: str = "en"
):
    """Validate an uploaded incidents file against the bundled places and states (popup
    text in `lang`); kept for every session (view_cache.upload_results). None when other
    readers' files kept the process's one check slot busy too long (upload_bounds)."""
    key = (geodata, version, name, hashlib.sha256(content).hexdigest(), lang)
    cache = upload_results()
    cached = cache.get(key)
    if cached is not None:
        return cached
    if progress is not None:
        progress(0.0, translation(lang).gettext("waiting for other readers' files"))
    with check_slot() as held:  # one check at a time in this process
        if not held:
            return None
        # The command line's checker (the same problems and totals, data checks included)
        # in this replica's worker process: its parse never holds the page's GIL, and a
        # file past the worker's memory or time is refused by name (check_worker).
        result = worker_for(geodata, version).check(content, name, progress=progress)
    frame = result.frame
    reading = how_read(content, result.format, result.encoding, name)
    if len(frame) <= PRECOMPUTE_TEXT_ROWS:
        frame = with_display_text(frame, lang)
    report = result.report
    checked = UploadResult(
        frame=frame,
        problems=[asdict(p) for p in report.problems],
        summary=report.summary(lang),
        format=result.format,
        encoding=result.encoding,
        mapping=result.mapping,
        report_csv=report.to_csv(lang),
        origin=UserFile.now(name, result.format, result.encoding),
        reading=reading.as_dict() if reading is not None else None,
    )
    size = int(frame.memory_usage(deep=True).sum()) + len(checked.report_csv) * 3
    cache.put(key, checked, size)
    return checked


def report(checked: UploadResult, name: str, lang: str = "en") -> None:
    """The report on a checked file, opened when it has problems."""
    t = translation(lang)
    frame, problems = checked.frame, checked.problems
    title = t.ngettext(
        "Your file {name}: {n} valid row, {summary}",
        "Your file {name}: {n} valid rows, {summary}",
        len(frame),
    ).format(
        name=escape_markdown(name),
        n=format_number(len(frame), lang),
        summary=checked.summary,
    )
    with st.expander(title, expanded=bool(problems)):
        if checked.format:
            kind = FORMAT_NAMES.get(checked.format, checked.format)
            st.caption(
                t.gettext("Read as {format}, encoding {encoding}.").format(
                    format=t.gettext(kind), encoding=escape_markdown(checked.encoding)
                )
                + (
                    " " + escape_markdown(reading_text(Reading(**checked.reading), lang))
                    if checked.reading
                    else ""
                )
            )
        if problems:
            unit = t.gettext("Feature") if problems[-1]["unit"] == "feature" else t.gettext("Line")
            st.dataframe(
                pd.DataFrame(report_rows(problems, lang))[
                    ["severity", "row", "field", "value", "reason"]
                ],
                hide_index=True,
                width="stretch",
                placeholder=EMPTY_CELL,  # a file-level problem has no line
                key=state.UPLOAD_REPORT,
                column_config={
                    "severity": t.gettext("Severity"),
                    "row": st.column_config.NumberColumn(unit, format="%d"),
                    "field": t.gettext("Field"),
                    "value": t.gettext("Value"),
                    "reason": t.gettext("Reason"),
                },
            )
            st.caption(
                t.gettext(
                    "Rows with errors are left out; rows with warnings are kept. Features are "
                    "numbered from 1 in the file's order; a problem of the whole file has none."
                )
                if problems[-1]["unit"] == "feature"
                else t.gettext(
                    "Rows with errors are left out; rows with warnings are kept. Lines are the "
                    "file's own (the header is line 2, after the sep= line); a problem of the "
                    "whole file has none."
                )
                if (checked.reading or {}).get("sep_line")
                else t.gettext(
                    "Rows with errors are left out; rows with warnings are kept. Lines are the "
                    "file's own (the header is line 1); a problem of the whole file has none."
                )
            )
            st.download_button(
                t.gettext("Download this report (CSV)"),
                data=checked.report_csv,
                file_name=f"{Path(name).stem}-report.csv",
                mime="text/csv",
                on_click="ignore",
            )
        else:
            st.success(t.gettext("No problems found."))
        if checked.mapping:
            st.markdown("**" + t.gettext("How the columns were read") + "**")
            st.dataframe(
                pd.DataFrame(
                    [(ours, source, t.gettext(how)) for ours, source, how in checked.mapping],
                    columns=["our column", "from", "how"],
                ),
                hide_index=True,
                width="stretch",
                column_config={
                    "our column": t.gettext("our column"),
                    "from": t.gettext("from"),
                    "how": t.gettext("how"),
                },
            )


def your_file(data: PageData, geodata: str, lang: str = "en") -> PageData:
    """The report on an uploaded file; its valid rows replace the bundled ones on request
    (the page data of the file's records, else `data`)."""
    t = translation(lang)
    upload = st.session_state.get(state.UPLOAD)
    if upload is None:  # started before a reader's first file, so it waits for no import
        worker_for(geodata, data.bundle.version).warm()
    # One file per session, a cap on all sessions' files and on a client's new files a
    # minute, freed on disconnect (dashboard/web/upload_bounds.py).
    kept = keep_upload(
        None if upload is None else upload.file_id,
        client_address(st.context.headers, st.context.ip_address),
    )
    if kept == "full":
        st.warning(
            t.gettext(
                "This server is holding as many readers' files as it can right now, so "
                "yours was not kept. Try again in a few minutes."
            )
        )
    elif kept == "rate":
        st.warning(
            t.gettext(
                "Too many files from your connection in the last minute, so this one was "
                "not checked. Try again in a minute."
            )
        )
    if kept != "kept":
        return data
    bar = st.progress(0.0, text=t.gettext("Checking your file…"))

    def progress(fraction: float, step: str) -> None:
        bar.progress(
            min(max(fraction, 0.0), 1.0),
            text=t.gettext("Checking your file: {step}…").format(step=step),
        )

    version = data.bundle.version
    checked = check_upload(geodata, version, upload.name, upload.getvalue(), progress, lang)
    bar.empty()
    if checked is None:
        st.warning(
            t.gettext(
                "This server is busy checking other readers' files, so yours was not "
                "checked. Try again in a few minutes."
            )
        )
        return data
    report(checked, upload.name, lang)
    frame = checked.frame
    if not st.session_state.get(state.USE_UPLOAD):
        return data
    if not len(frame):
        st.warning(
            t.gettext(
                "Your file has no valid rows, so the map and numbers still show the bundled "
                "data. The report above says what to fix."
            )
        )
        return data
    st.caption(
        t.ngettext(
            "Showing the {n} valid row of your file, over its own time range (the time "
            "slider, filters and figures follow it; no official figure is compared with "
            "it). Links restore the filters, not the file.",
            "Showing the {n} valid rows of your file, over its own time range (the time "
            "slider, filters and figures follow it; no official figure is compared with "
            "it). Links restore the filters, not the file.",
            len(frame),
        ).format(n=format_number(len(frame), lang))
    )
    return data.with_records(frame, checked.origin)
