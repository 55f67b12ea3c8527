"""The sample data set built from the seed activity report, and example upcoming events.

The data lives in ``data/sample.yaml`` (shipped inside the package as
``engagement/sample_data/sample.yaml``) and goes through the same schemas as any import.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from engagement.errors import EngagementError
from engagement.schemas import DatasetImport, validated

EXAMPLE_TAG = "example"


def sample_path() -> Path:
    packaged = Path(__file__).with_name("sample_data") / "sample.yaml"
    if packaged.exists():
        return packaged
    source_tree = Path(__file__).resolve().parent.parent / "data" / "sample.yaml"
    if source_tree.exists():
        return source_tree
    raise EngagementError("the sample data set is missing from this installation")


def load_document(path: Path | None = None) -> DatasetImport:
    import yaml

    source = path or sample_path()
    try:
        raw: Any = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise EngagementError(f"{source}: not valid YAML: {error}") from None
    return validated(DatasetImport, raw)


def upcoming_examples(now: datetime) -> DatasetImport:
    """A few planned events in the coming weeks, clearly marked as examples, so that the
    upcoming view of a fresh demo database has something to show. Reloading moves them along
    with today's date instead of duplicating them."""
    today = now.date()

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    events: list[dict[str, Any]] = [
        {
            "uid": "example-upcoming-rrc-coordination",
            "title": "Example: coordination meeting on RFL cases",
            "kind": "meeting",
            "status": "planned",
            "when": f"{day(2)} 11:00",
            "until": f"{day(2)} 12:30",
            "timezone": "Europe/Moscow",
            "location": "Russian Red Cross HQ, Moscow",
            "stakeholders": ["Russian Red Cross", "Pavel Savchuk"],
            "tags": [EXAMPLE_TAG, "rfl"],
            "summary": "Example planned event added by 'make run'.",
            "follow_ups": [{"text": "Example: send the agenda", "due": day(1)}],
        },
        {
            "uid": "example-upcoming-ombudsman-visit",
            "title": "Example: visit to the High Commissioner's office",
            "kind": "visit",
            "status": "planned",
            "when": day(6),
            "location": "Moscow",
            "stakeholders": ["Tatiana Moskalkova"],
            "tags": [EXAMPLE_TAG, "pow", "missing"],
            "summary": "Example planned event added by 'make run'.",
        },
        {
            "uid": "example-upcoming-diplomatic-briefing",
            "title": "Example: briefing for the diplomatic corps",
            "kind": "event",
            "status": "planned",
            "when": day(10),
            "until": day(11),
            "location": "ICRC delegation, Moscow",
            "stakeholders": ["Embassy of Switzerland in Moscow", "Embassy of Qatar in Moscow"],
            "tags": [EXAMPLE_TAG],
            "summary": "Example planned event added by 'make run'.",
        },
    ]
    return validated(DatasetImport, {"interactions": events})
