"""``engagement backup``/``restore``, ``export json|csv``, ``import json|csv``, merges."""

from __future__ import annotations

import click


def register(main: click.Group, export: click.Group, import_: click.Group) -> None:
    del main, export, import_
