"""The terminal UI: start-up to first paint (whole process, in a pseudo-terminal) against a
minimal Textual app, a filter keystroke at full scale, opening a stakeholder with thousands of
interactions, and peak memory on the big database against the sample one.

Whole-process measures alternate ours and the baseline process by process. The in-process
measures (keystroke, opening) run one app at a time, so they alternate in blocks: a block of
ours, a block of the baseline, and again.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.harness import Measure, Sample, compare, failure, summarise
from bench.terminal import Terminal

if TYPE_CHECKING:
    from bench.context import Context

AREA = "tui"
SIZE = (120, 40)
OURS_PAINTED = r"Quick add"  # the footer: on screen once the first frame is painted
DATA_PAINTED = r"Coming up"  # the dashboard's panels replace the loading indicator
LIST_COUNTED = r"[\d,]+ stakeholders"
MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Label


class Minimal(App):
    BINDINGS = [("q", "quit", "Quit"), ("a", "bell", "Quick add")]

    def compose(self):
        yield Header()
        yield Label("minimal app")
        yield Footer()


Minimal().run()
"""
MINIMAL_INPUT_APP_TITLE = "bench-input"
IDLE_PAUSE = 0.25  # seconds between closing one stakeholder and opening the next


def _env(context: Context) -> dict[str, str]:
    state = context.scratch("tui-state")
    root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH", "")
    return {
        **os.environ,
        "ENGAGEMENT_STATE_DIR": str(state),
        "PYTHONPATH": root + (os.pathsep + path if path else ""),
    }


def _process(command: list[str], env: dict[str, str], pattern: str) -> Sample:
    def sample() -> float:
        terminal = Terminal(command, columns=SIZE[0], lines=SIZE[1], env=env)
        try:
            return terminal.wait_for(pattern)
        finally:
            terminal.close()

    return sample


def _peak_rss(command: list[str], env: dict[str, str], anonymous: list[float]) -> Sample:
    """Start, wait for the dashboard's data, open the stakeholder list, then read VmHWM (and
    the anonymous part of the resident memory into ``anonymous``)."""

    def sample() -> float:
        terminal = Terminal(command, columns=SIZE[0], lines=SIZE[1], env=env)
        try:
            terminal.wait_for(DATA_PAINTED)
            terminal.send("s")
            terminal.wait_for(LIST_COUNTED)
            time.sleep(0.5)
            anonymous.append(terminal.rss_anonymous_mib())
            return terminal.peak_rss_mib()
        finally:
            terminal.close()

    return sample


# --- in-process measures --------------------------------------------------------------------


def _app(url: str, state: Path) -> Any:
    from tui.app import make_app

    return make_app(url, state_dir=state)


async def _until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not settle")
        await asyncio.sleep(0.0005)


class _Paints:
    """Counts a widget's painted lines: the repaint a keystroke waits for."""

    def __init__(self, widget: Any) -> None:
        self.count = 0
        self.last = 0.0
        original = widget.render_line

        def counted(y: int) -> Any:
            self.count += 1
            self.last = time.perf_counter()
            return original(y)

        widget.render_line = counted


async def _painted(paints: _Paints, started: float) -> float:
    """Milliseconds from ``started`` to the paint that showed the new data: the next paint, or
    one that already happened since ``started`` if none follows."""
    painted = paints.count
    try:
        await _until(lambda: paints.count > painted, timeout=0.25)
    except TimeoutError:
        if paints.last < started:
            raise
    return (paints.last - started) * 1000


def _key(app: Any, char: str) -> float:
    """Send a key as the terminal driver would; returns when it was sent."""
    from textual import events

    event = events.Key(char, char)
    event.set_sender(app)
    started = time.perf_counter()
    app._driver.send_message(event)
    return started


async def _keystrokes(url: str, state: Path, words: list[str]) -> list[float]:
    """Type each word a key at a time into the stakeholder filter; each sample runs from the
    key reaching the app until the list paints its lines for that filter's first page."""
    from textual.widgets import Input

    from tui.widgets.stakeholder_list import StakeholderList

    samples: list[float] = []
    app = _app(url, state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await _until(lambda: bool(app.screen.query(StakeholderList)))
        stakeholders = app.screen.query_one(StakeholderList)
        await _until(lambda: stakeholders.loaded)
        await pilot.pause()
        paints = _Paints(stakeholders)
        field = app.screen.query_one("#filter", Input)
        for word in words:
            for char in word:
                generation = stakeholders._generation
                started = _key(app, char)
                await _until(
                    lambda g=generation: (
                        stakeholders._generation > g and 0 not in stakeholders._pending
                    )
                )
                samples.append(await _painted(paints, started))
                await asyncio.sleep(0.1)  # past the throttle: the next key queries at once
            field.value = ""
            await asyncio.sleep(0.1)
            await _until(lambda: 0 not in stakeholders._pending)
            await pilot.pause()
    return samples


async def _plain_input(words: list[str]) -> list[float]:
    """The floor: the same keys into a plain Input of a minimal Textual app."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Input

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Input(id="filter")
            yield Footer()

    samples: list[float] = []
    app = Minimal()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.query_one(Input)
        paints = _Paints(field)
        for word in words:
            for char in word:
                started = _key(app, char)
                await _until(lambda v=field.value: field.value != v)
                samples.append(await _painted(paints, started))
                await asyncio.sleep(0.1)
            field.value = ""
            await pilot.pause()
    return samples


class _Frames:
    """When the app handed the terminal the first frame showing a stakeholder's data: the
    history's rows painted (with the profile read), then that frame written out.

    Hooked into the timeline's class and the app's output, so no frame is missed however the
    event loop schedules the waiting coroutine, and a later repaint (a scrollbar appearing, the
    activity line filling in) is not taken for the first.
    """

    def __init__(self, app: Any, timeline: type[Any], screen: type[Any]) -> None:
        self.started = 0.0
        self.painted = False
        self.shown: float | None = None
        original_row = timeline.render_line
        original_display = app._display
        frames = self

        def render_line(widget: Any, y: int) -> Any:
            strip = original_row(widget, y)
            if widget.loaded and getattr(widget.screen, "profile", None) is not None:
                frames.painted = True
            return strip

        def display(on: Any, renderable: Any) -> None:
            original_display(on, renderable)
            if frames.painted and frames.shown is None and isinstance(on, screen):
                frames.shown = time.perf_counter()

        self._restore = lambda: setattr(timeline, "render_line", original_row)
        timeline.render_line = render_line
        app._display = display

    def start(self) -> None:
        self.painted = False
        self.shown = None
        self.started = time.perf_counter()

    def close(self) -> None:
        self._restore()


async def _openings(url: str, state: Path, references: list[str], rounds: int) -> list[float]:
    """Open each stakeholder ``rounds`` times: from the request to the first frame painted
    with the profile and the first page of the history. Each opening starts from an idle app,
    as a user's does: what the last screen left running (its workers, its removal) is done."""
    from tui.screens.stakeholder import StakeholderScreen
    from tui.widgets.timeline import Timeline

    samples: list[float] = []
    app = _app(url, state)
    async with app.run_test(size=SIZE) as pilot:
        await _until(lambda: getattr(app.screen, "_loaded_once", False))
        frames = _Frames(app, Timeline, StakeholderScreen)
        try:
            for _ in range(rounds + 1):  # the first round warms up
                for reference in references:
                    frames.start()
                    app.open_stakeholder(reference)
                    await _until(lambda: frames.shown is not None)
                    samples.append((frames.shown - frames.started) * 1000)  # type: ignore[operator]
                    screen = app.screen
                    await _until(lambda s=screen: s.query_one(Timeline).loaded)  # type: ignore[misc]
                    await pilot.pause()
                    app.pop_screen()
                    await _idle(app, pilot)
        finally:
            frames.close()
    per_reference = len(references)
    return samples[per_reference:]


async def _idle(app: Any, pilot: Any) -> None:
    """Wait for the app's workers and messages, then a pause far shorter than a user's
    between two stakeholders (the app may do its idle-time work in it)."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await asyncio.sleep(IDLE_PAUSE)


def _blocks(
    ours: Callable[[], Awaitable[list[float]]],
    base: Callable[[], Awaitable[list[float]]],
    rounds: int,
) -> tuple[list[float], list[float]]:
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(rounds):
        mine += asyncio.run(ours())
        theirs += asyncio.run(base())
    return mine, theirs


# --- the case -------------------------------------------------------------------------------


def run(context: Context) -> list[Measure]:
    print("tui", flush=True)
    env = _env(context)
    engagement = str(Path(sys.executable).with_name("engagement"))
    minimal = context.scratch("tui") / "minimal_app.py"
    minimal.write_text(MINIMAL_APP)
    ours_command = [engagement, "--db", context.url, "tui"]
    sample_command = [engagement, "--db", context.sample_url, "tui"]
    base_command = [sys.executable, str(minimal)]
    repeats = context.scale.process_repeats
    measures: list[Measure] = []

    def attempt(name: str, target: str, build: Callable[[], Measure]) -> None:
        try:
            measures.append(build())
        except Exception as error:
            measures.append(failure(AREA, name, target, error, "sqlite"))

    attempt(
        "start-up to first painted dashboard (big database)",
        "p95 ≤ 1.5× minimal Textual app",
        lambda: compare(
            AREA,
            "start-up to first painted dashboard (big database)",
            _process(ours_command, env, OURS_PAINTED),
            _process(base_command, env, r"minimal app"),
            repeats=repeats,
            target="p95 ≤ 1.5× minimal Textual app",
            limit=1.5,
            baseline="minimal Textual app (header, label, footer), whole process",
            note="first frame: header, footer and the panels' loading indicator; data follows "
            "from a worker",
        ),
    )
    attempt(
        "start-up to dashboard data painted (big database)",
        "— (informative)",
        lambda: compare(
            AREA,
            "start-up to dashboard data painted (big database)",
            _process(ours_command, env, DATA_PAINTED),
            _process(base_command, env, r"minimal app"),
            repeats=repeats,
            target="— (informative)",
            baseline="minimal Textual app, whole process",
        ),
    )
    state = context.scratch("tui-inproc")
    words = ["min", "emb", "red", "nat", "uni", "алек", "gov", "mo"]
    rounds = 2 if context.scale.name == "tiny" else 3

    def keystrokes() -> Measure:
        mine, theirs = _blocks(
            lambda: _keystrokes(context.url, state, words),
            lambda: _plain_input(words),
            rounds,
        )
        return summarise(
            AREA,
            f"stakeholder filter keystroke → repaint ({context.scale.stakeholders:,} stakeholders)",
            mine,
            theirs,
            target="≤ 50 ms",
            absolute=50.0,
            baseline="keystroke into a plain Input, minimal app",
        )

    attempt("stakeholder filter keystroke → repaint", "≤ 50 ms", keystrokes)
    key_id, key_count = context.key_stakeholder()
    row = context.raw.execute(
        "SELECT stakeholder_id, count(*) AS n FROM interaction_stakeholders GROUP BY 1 "
        "HAVING n BETWEEN 5 AND 15 LIMIT 1"
    ).fetchone()
    few_id, few_count = (int(row[0]), int(row[1])) if row else (key_id, key_count)
    name = f"open a stakeholder with {key_count:,} interactions → first paint"

    # In-process openings take a fraction of a second: as many as the in-process measures of
    # the other cases, so that the p95 is not just the second-worst of a handful.
    per_block = max(2, context.scale.repeats // rounds)

    def openings() -> Measure:
        mine, theirs = _blocks(
            lambda: _openings(context.url, state, [f"#{key_id}"], per_block),
            lambda: _openings(context.url, state, [f"#{few_id}"], per_block),
            rounds,
        )
        return summarise(
            AREA,
            name,
            mine,
            theirs,
            target="≤ 100 ms",
            absolute=100.0,
            baseline=f"a stakeholder with {few_count} interactions, same database",
        )

    attempt(name, "≤ 100 ms", openings)
    big_anon: list[float] = []
    small_anon: list[float] = []

    def memory() -> Measure:
        measure = compare(
            AREA,
            "peak RSS: dashboard + stakeholder list, big vs sample database",
            _peak_rss(ours_command, env, big_anon),
            _peak_rss(sample_command, env, small_anon),
            repeats=max(2, repeats // 3),
            warm_up=False,
            unit="MiB",
            target="p95 ≤ 1.5× the sample database",
            limit=1.5,
            baseline="same session, sample database",
        )
        measure.note = (
            f"anonymous (heap) memory: big {max(big_anon):.0f} MiB, sample "
            f"{max(small_anon):.0f} MiB; the TUI opens the database with "
            "engagement.storage.INTERACTIVE (no memory map, 8 MiB page cache per connection), "
            "so the file's pages it reads do not stay resident"
        )
        return measure

    attempt("peak RSS", "p95 ≤ 1.5× the sample database", memory)
    return measures
