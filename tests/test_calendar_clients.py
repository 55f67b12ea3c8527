"""Our export read by real calendar programs that import .ics without a screen: khal
(``khal import --batch``) and calcurse (``calcurse -i``). Each one's own listing must show every
dated event on the right days, timed ones at the right local time, confidential ones as busy
time only — and a second export after an edit must update khal's copy, not add one.

The programs are looked up on PATH (khal also beside this Python). Without them these tests
skip, unless ``ENGAGEMENT_REQUIRE_TOOLS=1`` (CI), where a missing program fails them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import icalendar
import pytest

from engagement.tracker import Tracker

SECRET = "Talks on the exchange list"
SECRET_PLACE = "Undisclosed venue"
LIST_FORMAT = "{start-date}|{end-date}|{start-time}|{end-time}|{title}|{location}|{uid}"
DAYS = {
    "sample-2025-06-10-martens-readings": ("2025-06-10", "2025-06-11"),
    "sample-2025-06-18-spief-mgimo-panel": ("2025-06-18", "2025-06-21"),
    "sample-2025-06-18-spief-religious-circles": ("2025-06-18", "2025-06-21"),
    "sample-2025-06-18-spief-bizone": ("2025-06-18", "2025-06-21"),
    "sample-2025-08-21-sco-seminar": ("2025-08-21", "2025-09-03"),
    "sample-2025-05-13-csto-afghanistan-working-group": ("2025-05-13", "2025-05-13"),
    "sample-2025-05-16-kazan-forum": ("2025-05-16", "2025-05-16"),
}


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        message = f"{name} is not installed (scripts/install-test-tools.sh installs it)"
        if os.environ.get("ENGAGEMENT_REQUIRE_TOOLS") == "1":
            pytest.fail(message + " and ENGAGEMENT_REQUIRE_TOOLS=1")
        pytest.skip(message)
    return found


def run(*command: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=env, check=False
    )
    assert result.returncode == 0, f"{command[0]} failed: {result.stderr}"
    return result.stdout


def prepare(tracker: Tracker) -> bytes:
    """The sample data plus what the sample lacks: timed events in two zones and a
    confidential meeting; exported for May–October 2025."""
    with_rrc = {"with_": ["Russian Red Cross"]}
    tracker.log_interaction(
        "Встреча с МИД; итоги", when="2025-07-01 10:00 Europe/Moscow", until="11:30", **with_rrc
    )
    tracker.log_interaction(
        "Call with Geneva", when="2025-10-27 09:00 Europe/Zurich", until="10:00", **with_rrc
    )
    tracker.log_interaction(
        SECRET,
        when="2025-07-15",
        confidentiality="confidential",
        location=SECRET_PLACE,
        **with_rrc,
    )
    return tracker.export_ics(start=date(2025, 5, 1), end=date(2025, 10, 31)).data


def khal_config(folder: Path) -> Path:
    (folder / "calendar").mkdir(parents=True)
    config = folder / "config"
    config.write_text(
        "[calendars]\n[[engagement]]\n"
        f"path = {folder / 'calendar'}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = Europe/Moscow\ndefault_timezone = Europe/Moscow\n"
        f"[sqlite]\npath = {folder / 'khal.db'}\n",
        encoding="utf-8",
    )
    return config


def khal_listing(khal: str, config: Path) -> dict[str, list[str]]:
    output = run(
        khal, "-c", str(config), "list", "--once", "--day-format", "",
        "--format", LIST_FORMAT, "2025-05-01", "2025-10-31",
    )  # fmt: skip
    rows = [line.split("|") for line in output.splitlines() if line.count("|") == 6]
    return {row[6]: row[:6] for row in rows}


def test_khal_imports_our_export_and_updates_it(sample: Tracker, tmp_path: Path) -> None:
    khal = tool("khal")
    config = khal_config(tmp_path)
    export = tmp_path / "engagement.ics"
    export.write_bytes(prepare(sample))
    run(khal, "-c", str(config), "import", "--batch", "-a", "engagement", str(export))
    listing = khal_listing(khal, config)
    for uid, (first, last) in DAYS.items():
        assert listing[uid][:2] == [first, last], uid
    by_title = {row[4]: row for row in listing.values()}
    assert by_title["Встреча с МИД; итоги"][:4] == ["2025-07-01", "2025-07-01", "10:00", "11:30"]
    assert by_title["Call with Geneva"][2:4] == ["11:00", "12:00"]  # 09:00 CET in Moscow
    assert by_title["Confidential meeting"][0] == "2025-07-15"
    assert by_title["Confidential meeting"][5] == ""
    assert "Daily open channel with the Russian MoD" in by_title
    stored = b"".join(path.read_bytes() for path in (tmp_path / "calendar").glob("*.ics"))
    assert SECRET.encode() not in stored and SECRET_PLACE.encode() not in stored
    count = len(list((tmp_path / "calendar").glob("*.ics")))
    martens = next(i for i in sample.history("CSTO") if i.uid.endswith("martens-readings"))
    sample.update_interaction(martens.id, title="Martens Readings 2025")
    export.write_bytes(sample.export_ics(start=date(2025, 5, 1), end=date(2025, 10, 31)).data)
    run(khal, "-c", str(config), "import", "--batch", "-a", "engagement", str(export))
    again = khal_listing(khal, config)
    assert again[martens.uid][4] == "Martens Readings 2025"
    assert len(list((tmp_path / "calendar").glob("*.ics"))) == count
    assert sum(row[4].startswith("Martens Readings") for row in again.values()) == 1


def calcurse_days(calcurse: str, folder: Path, env: dict[str, str]) -> dict[str, list[str]]:
    """Each title with the days (and times) calcurse shows it on."""
    output = run(
        calcurse, "-D", str(folder), "--input-datefmt", "4", "--output-datefmt", "%Y-%m-%d",
        "-Q", "--filter-type", "cal", "--from", "2025-05-01", "--to", "2025-10-31",
        "--format-event", "E|%m\n", "--format-recur-event", "E|%m\n",
        "--format-apt", "A|%S|%E|%m\n", "--format-recur-apt", "A|%S|%E|%m\n",
        env=env,
    )  # fmt: skip
    days: dict[str, list[str]] = {}
    day = ""
    for line in output.splitlines():
        if line.endswith(":") and line[:4].isdigit():
            day = line[:-1]
        elif line.startswith("E|"):
            days.setdefault(line[2:], []).append(day)
        elif line.startswith("A|"):
            _, start, end, title = line.split("|", 3)
            days.setdefault(title, []).append(f"{day} {start}-{end}")
    return days


def test_calcurse_imports_our_export(sample: Tracker, tmp_path: Path) -> None:
    calcurse = tool("calcurse")
    export = tmp_path / "engagement.ics"
    export.write_bytes(prepare(sample))
    folder = tmp_path / "calcurse"
    folder.mkdir()
    env = {**os.environ, "TZ": "Europe/Moscow", "HOME": str(tmp_path)}
    report = run(calcurse, "-D", str(folder), "-i", str(export), env=env)
    assert "0 skipped" in report
    days = calcurse_days(calcurse, folder, env)
    titles = _titles(sample)
    for uid, (first, last) in DAYS.items():
        shown = days[titles[uid]]
        assert shown[0] == first and shown[-1] == last, uid
        assert len(shown) == (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
    assert days["Встреча с МИД; итоги"] == ["2025-07-01 10:00-11:30"]
    assert days["Call with Geneva"] == ["2025-10-27 11:00-12:00"]
    assert days["Confidential meeting"] == ["2025-07-15"]
    assert len(days["Daily open channel with the Russian MoD"]) == 184  # May to October
    stored = (folder / "apts").read_bytes()
    assert SECRET.encode() not in stored and SECRET_PLACE.encode() not in stored


def _titles(tracker: Tracker) -> dict[str, str]:
    items = tracker.export_ics(start=date(2025, 5, 1), end=date(2025, 10, 31))
    calendar = icalendar.Calendar.from_ical(items.data)
    return {str(e["UID"]): str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
