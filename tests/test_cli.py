"""The ``engagement`` command line: its contract (names, options, JSON fields) and its
behaviour on bad input — one clear line on stderr, a non-zero exit, nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from engagement.cli import main
from engagement.storage import Database

INTERACTION_FIELDS = {
    "id",
    "title",
    "kind",
    "status",
    "start",
    "end",
    "precision",
    "timezone",
    "location",
    "stakeholders",
    "tags",
    "confidentiality",
}
STAKEHOLDER_FIELDS = {"id", "name", "kind", "country", "parent", "aliases", "tags"}
TABLES = [
    "stakeholders",
    "stakeholder_aliases",
    "stakeholder_tags",
    "affiliations",
    "interactions",
    "interaction_stakeholders",
    "interaction_tags",
    "interaction_staff",
    "follow_ups",
]


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", url, *args], catch_exceptions=False)


def run_json(url: str, *args: str) -> Any:
    result = run(url, *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def snapshot(url: str) -> dict[str, int]:
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            return {
                table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in TABLES
            }
    finally:
        database.dispose()


def test_init_creates_then_reports_current(db_url: str) -> None:
    assert "up to date" in run(db_url, "init").stdout


def test_history_of_the_muftis_shows_the_kazan_forum(sample_url: str) -> None:
    history = run_json(sample_url, "history", "Russian Council of Muftis")
    assert isinstance(history, list)
    kazan = [item for item in history if item["start"] == "2025-05-16"]
    assert kazan and kazan[0].keys() >= INTERACTION_FIELDS
    assert "Russian Council of Muftis" in kazan[0]["stakeholders"]


def test_there_are_22_embassies_in_json(sample_url: str) -> None:
    embassies = run_json(sample_url, "stakeholder", "list", "--kind", "embassy")
    assert len(embassies) == 22
    assert all(
        item.keys() >= STAKEHOLDER_FIELDS and item["kind"] == "embassy" for item in embassies
    )


def test_sample_load_twice_adds_nothing(sample_url: str) -> None:
    before = snapshot(sample_url)
    result = run(sample_url, "sample", "load")
    assert result.exit_code == 0
    assert "0 stakeholders added" in result.stdout
    assert snapshot(sample_url) == before


def test_the_logging_round_trip(db_url: str) -> None:
    added = run(
        db_url,
        "stakeholder",
        "add",
        "Russian Red Cross",
        "--kind",
        "national_society",
        "--country",
        "RU",
        "--alias",
        "RRC",
        "--tag",
        "partner",
    )
    assert added.exit_code == 0 and added.stdout.strip().isdigit()
    person = run_json(
        db_url, "stakeholder", "add", "Pavel Savchuk", "--kind", "person", "--country", "RU"
    )
    assert person.keys() >= STAKEHOLDER_FIELDS and person["name"] == "Pavel Savchuk"
    assert (
        run(db_url, "affiliation", "add", "Pavel Savchuk", "RRC", "--title", "President").exit_code
        == 0
    )
    assert run(db_url, "stakeholder", "alias", "RRC", "Российский Красный Крест").exit_code == 0

    logged = run(
        db_url,
        "log",
        "Meeting with the President",
        "--with",
        "Pavel Savchuk",
        "--host",
        "Российский Красный Крест",
        "--when",
        "2025-07-01 10:00 Europe/Moscow",
        "--until",
        "11:30",
        "--kind",
        "meeting",
        "--location",
        "Moscow",
        "--tag",
        "rfl",
        "--confidentiality",
        "confidential",
        "--notes",
        "Tracing requests.",
        "--follow-up",
        "Send the case list",
        "--due",
        "2025-07-10",
        "--by",
        "alice",
    )
    assert logged.exit_code == 0, logged.stderr
    interaction_id = logged.stdout.strip()
    assert interaction_id.isdigit()

    shown = run_json(db_url, "interaction", "show", interaction_id)
    assert shown.keys() >= INTERACTION_FIELDS
    assert (shown["start"], shown["end"], shown["timezone"], shown["precision"]) == (
        "2025-07-01T10:00:00+03:00",
        "2025-07-01T11:30:00+03:00",
        "Europe/Moscow",
        "datetime",
    )
    assert shown["stakeholders"] == ["Russian Red Cross", "Pavel Savchuk"]
    assert shown["confidentiality"] == "confidential" and shown["logged_by"] == "alice"
    assert shown["follow_ups"][0]["due"] == "2025-07-10"

    edited = run_json(
        db_url,
        "interaction",
        "edit",
        interaction_id,
        "--title",
        "Meeting on RFL",
        "--add-stakeholder",
        "RRC",
    )
    assert edited["title"] == "Meeting on RFL" and edited["version"] == shown["version"] + 1

    history = run_json(db_url, "history", "Russian Red Cross")
    assert [item["title"] for item in history] == ["Meeting on RFL"]
    related = run_json(
        db_url, "history", "RRC", "--include-related", "--from", "2025-07", "--to", "2025-07"
    )
    assert len(related) == 1

    assert run(db_url, "interaction", "cancel", interaction_id).exit_code == 0
    assert run_json(db_url, "interaction", "show", interaction_id)["status"] == "cancelled"

    profile = run_json(db_url, "stakeholder", "show", "RRC")
    assert profile.keys() >= STAKEHOLDER_FIELDS
    assert [p["person"] for p in profile["people"]] == ["Pavel Savchuk"]


def test_month_and_range_precision_in_json(db_url: str) -> None:
    run(db_url, "stakeholder", "add", "State Duma", "--kind", "parliament", "--country", "RU")
    month = run_json(
        db_url, "log", "Parliamentary advisers", "--with", "State Duma", "--when", "2025-06"
    )
    assert (month["start"], month["end"], month["precision"]) == ("2025-06", None, "month")
    days = run_json(
        db_url, "log", "Visit", "--with", "State Duma", "--when", "June 30 to July 8 2025"
    )
    assert (days["start"], days["end"], days["precision"]) == ("2025-06-30", "2025-07-08", "day")


def test_upcoming_json_is_an_array(sample_url: str) -> None:
    items = run_json(sample_url, "upcoming", "--days", "30")
    assert isinstance(items, list)
    assert all(item["type"] in {"interaction", "follow_up"} for item in items)


def test_human_output_prints_markup_literally(db_url: str) -> None:
    run(db_url, "stakeholder", "add", "[bold red]Ahmed [MFA][/]", "--kind", "person")
    shown = run(db_url, "stakeholder", "show", "#1")
    assert shown.stdout.splitlines()[0] == "[bold red]Ahmed [MFA][/]"
    listed = run(db_url, "stakeholder", "list")
    assert "[MFA]" in listed.stdout and "[bold red]" in listed.stdout


BAD_INPUTS = [
    (["stakeholder", "add", "X Ministry", "--kind", "minstry"], "--kind"),
    (
        ["stakeholder", "add", "X Ministry", "--kind", "ministry", "--country", "XX"],
        "country: 'XX'",
    ),
    (["stakeholder", "add", "Russian red cross", "--kind", "ngo"], "already taken"),
    (
        ["log", "Meeting", "--with", "RRC", "--when", "2025-06-11", "--until", "2025-06-10"],
        "before the start",
    ),
    (
        ["log", "Meeting", "--with", "RRC", "--when", "the day after never"],
        "when: 'the day after never'",
    ),
    (
        ["log", "Meeting", "--with", "Russain Red Crss", "--when", "2025-06-10"],
        "did you mean 'Russian Red Cross'",
    ),
    (["log", "Meeting", "--with", "MFA", "--when", "2025-06-10"], "ambiguous"),
    (["log", "Meeting", "--with", "RRC", "--when", "2025-06-10", "--kind", "party"], "--kind"),
    (
        ["log", "Meeting", "--with", "RRC", "--when", "2025-06-10", "--repeat", "FREQ=OFTEN"],
        "RRULE",
    ),
    (["log", "Meeting", "--with", "RRC", "--when", "2025-06-10", "--due", "2025-07-01"], "--due"),
    (["interaction", "show", "999"], "no interaction has id 999"),
    (["interaction", "edit", "999", "--title", "x"], "no interaction has id 999"),
    (["history", "Nobody"], "no stakeholder is called 'Nobody'"),
    (["history", "RRC", "--from", "31/31/2025"], "from:"),
    (["affiliation", "add", "RRC", "RRC", "--title", "x"], "not a person"),
]


@pytest.mark.parametrize(
    ("args", "fragment"),
    BAD_INPUTS,
    ids=[" ".join(a[:2]) + f"-{i}" for i, (a, _) in enumerate(BAD_INPUTS)],
)
def test_bad_input_is_one_clear_line_and_changes_nothing(
    db_url: str, args: list[str], fragment: str
) -> None:
    run(
        db_url,
        "stakeholder",
        "add",
        "Russian Red Cross",
        "--kind",
        "national_society",
        "--alias",
        "RRC",
    )
    for country in ("RU", "BY"):
        run(
            db_url,
            "stakeholder",
            "add",
            f"Ministry of Foreign Affairs {country}",
            "--kind",
            "ministry",
            "--country",
            country,
            "--alias",
            "MFA",
        )
    before = snapshot(db_url)
    result = run(db_url, *args)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.output
    assert snapshot(db_url) == before


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    for command in (
        "init",
        "sample",
        "stakeholder",
        "affiliation",
        "log",
        "interaction",
        "history",
        "upcoming",
        "tui",
    ):
        assert command in result.stdout


def test_a_read_command_on_a_missing_file_does_not_create_it(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = CliRunner().invoke(main, ["--db", str(missing), "history", "RRC"])
    assert result.exit_code == 1
    assert "there is no database at" in result.stderr
    assert not missing.exists()
    assert CliRunner().invoke(main, ["--db", str(missing), "init"]).exit_code == 0
    assert missing.exists()
