"""``engagement bench generate``: synthetic data for the benchmark."""

from __future__ import annotations

import click

from engagement.cli import AppContext, pass_app


@click.group()
def bench() -> None:
    """Benchmark support."""


@bench.command("generate")
@click.option("--stakeholders", type=click.IntRange(1), default=100_000, show_default=True)
@click.option("--interactions", type=click.IntRange(0), default=1_000_000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@pass_app
def generate(app: AppContext, stakeholders: int, interactions: int, seed: int) -> None:
    """Fill an empty database with realistic synthetic data, fast."""
    from engagement.errors import StorageError

    tracker = app.tracker()
    if tracker.list_stakeholders(limit=1, include_archived=True):
        raise StorageError("bench generate needs an empty database; give a new --db")
    report = tracker.generate_bench_data(
        stakeholders=stakeholders, interactions=interactions, seed=seed
    )
    phases = ", ".join(
        f"{name} {seconds:.1f}s (CPU {report.cpu.get(name, 0.0):.1f}s)"
        for name, seconds in report.phases.items()
    )
    click.echo(
        f"Generated {report.stakeholders} stakeholders and {report.interactions} interactions: "
        f"{report.rows} rows in {report.seconds:.1f}s ({report.rows_per_second:,.0f} rows/s; "
        f"{phases})"
    )


def register(main: click.Group) -> None:
    main.add_command(bench)
