"""The virtual lists at scale: 100,000 stakeholders and a 10,000-interaction history, served by
fake loaders so the tests measure the widgets, not the database."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from typing import Any

from textual.app import App, ComposeResult
from textual.worker import WorkerCancelled

from engagement.schemas import InteractionRead, StakeholderPage, StakeholderRead
from engagement.vocab import InteractionKind, InteractionStatus, StakeholderKind
from tui.widgets.stakeholder_list import StakeholderList, StakeholderQuery
from tui.widgets.timeline import Timeline

TOTAL = 100_000
NOW = datetime(2025, 9, 1, tzinfo=UTC)


def _stakeholder(index: int) -> StakeholderRead:
    return StakeholderRead(
        id=index + 1,
        name=f"Stakeholder {index:06d}",
        kind=StakeholderKind.NGO,
        country="CH",
        parent=None,
        parent_id=None,
        aliases=[],
        tags=[],
        notes="",
        archived=False,
        first_contact=None,
        last_contact=date(2025, 8, 1),
        interaction_count=index % 7,
        ongoing=False,
        created_at=NOW,
        updated_at=NOW,
        version=1,
    )


class FakeDirectory:
    """Answers like ``Tracker.find_stakeholders`` over 100,000 names, and records the calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[StakeholderQuery, int, int]] = []

    def page(self, query: StakeholderQuery, offset: int, limit: int) -> StakeholderPage:
        self.calls.append((query, offset, limit))
        if query.text:
            matching = [i for i in range(0, TOTAL, 1000) if query.text in f"{i:06d}"]
        else:
            matching = range(TOTAL)  # type: ignore[assignment]
        chosen = list(matching[offset : offset + limit])
        return StakeholderPage(
            items=[_stakeholder(i) for i in chosen], total=len(matching), offset=offset
        )


class ListApp(App[None]):
    def __init__(self, directory: FakeDirectory) -> None:
        super().__init__()
        self.directory = directory

    def compose(self) -> ComposeResult:
        yield StakeholderList(self.directory.page, id="list")

    def on_mount(self) -> None:
        self.query_one(StakeholderList).set_query(StakeholderQuery())
        self.query_one(StakeholderList).focus()


def _visible(widget: Any) -> list[str]:
    return ["".join(s.text for s in widget.render_line(y)) for y in range(widget.size.height)]


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_a_hundred_thousand_stakeholders_load_only_what_is_on_screen() -> None:
    directory = FakeDirectory()
    app = ListApp(directory)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        stakeholders = app.query_one(StakeholderList)
        assert stakeholders.row_count == TOTAL
        assert stakeholders.virtual_size.height == TOTAL + 1
        assert [offset for _, offset, _ in directory.calls] == [0]
        assert "Stakeholder 000000" in _visible(stakeholders)[1]

        await pilot.press("end")
        await _settle(pilot)
        assert stakeholders.cursor == TOTAL - 1
        fetched = {offset for _, offset, _ in directory.calls}
        size = StakeholderList.PAGE_SIZE
        assert max(fetched) == (TOTAL - 1) // size * size
        assert len(fetched) <= 3, fetched
        assert any("Stakeholder 099999" in line for line in _visible(stakeholders))

        await pilot.press("home", "pagedown", "pagedown")
        await _settle(pilot)
        assert len(directory.calls) <= 6


async def test_a_new_filter_repaints_quickly_and_late_pages_are_dropped() -> None:
    directory = FakeDirectory()
    app = ListApp(directory)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        stakeholders = app.query_one(StakeholderList)
        stakeholders.set_query(StakeholderQuery("1"))
        stakeholders.set_query(StakeholderQuery("12"))
        await _settle(pilot)
        assert stakeholders.current_query.text == "12"
        assert stakeholders.row_count == len(
            [i for i in range(0, TOTAL, 1000) if "12" in f"{i:06d}"]
        )
        assert all("12" in line for line in _visible(stakeholders)[1 : stakeholders.row_count + 1])


def _interaction(index: int) -> InteractionRead:
    day = date(2025, 8, 28).toordinal() - index
    start = date.fromordinal(day)
    return InteractionRead.model_construct(
        id=index + 1,
        title=f"Meeting number {index}",
        kind=InteractionKind.MEETING,
        status=InteractionStatus.HELD,
        start=start.isoformat(),
        when=f"{start:%d %b %Y}",
        stakeholders=["Somebody"],
    )


class TimelineApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        yield Timeline(id="timeline")

    def load(self, offset: int, limit: int) -> list[InteractionRead]:
        self.requests.append((offset, limit))
        return [_interaction(i) for i in range(offset, min(offset + limit, 10_000))]

    def on_mount(self) -> None:
        self.query_one(Timeline).show(self.load)
        self.query_one(Timeline).focus()


async def test_a_long_history_paints_its_first_page_and_loads_more_on_demand() -> None:
    app = TimelineApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        timeline = app.query_one(Timeline)
        size = Timeline.PAGE_SIZE
        assert app.requests == [(0, size)]
        lines = _visible(timeline)
        assert "August 2025" in lines[0]
        assert "Meeting number 0" in lines[1]
        for _ in range(5):
            await pilot.press("pagedown")
        await pilot.press("end")
        await _settle(pilot)
        pages = len(app.requests)
        assert 2 <= pages <= 400 // size, app.requests
        assert app.requests == [(size * page, size) for page in range(pages)]
        assert timeline.interaction_count == size * pages
        assert timeline.highlighted is not None
