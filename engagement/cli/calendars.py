"""``engagement export ics``, ``engagement import ics`` and ``engagement feed serve``."""

from __future__ import annotations

import click


def register(main: click.Group, export: click.Group, import_: click.Group) -> None:
    """Attach the calendar commands to the shared ``export``/``import`` groups."""
    del main, export, import_
