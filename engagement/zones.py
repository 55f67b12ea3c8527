"""Time zones: IANA names in any case, the user's default zone, and how fixed offsets read.

Kept apart from parsing so that the period model and the parser can both use it.
"""

from __future__ import annotations

import difflib
import functools
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from engagement.errors import ValidationFailed

_UTC_NAMES = {"utc", "z", "gmt", "etc/utc", "etc/universal", "universal", "zulu", "etc/zulu"}


@functools.cache
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def canonical_zone_name(name: str, *, field: str = "timezone") -> str:
    """The IANA spelling of a zone name given in any case, or a helpful error."""
    cleaned = name.strip()
    if cleaned.casefold() in _UTC_NAMES:
        return "UTC"
    known = _zone_names().get(cleaned.casefold())
    if known is not None:
        return known
    close = difflib.get_close_matches(cleaned, list(_zone_names().values()), n=3, cutoff=0.6)
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else "; use an IANA name such as Europe/Moscow"
    )
    raise ValidationFailed(field, name, f"is not a known time zone{hint}")


def load_zone(name: str, *, field: str = "timezone") -> ZoneInfo:
    try:
        return ZoneInfo(canonical_zone_name(name, field=field))
    except (ZoneInfoNotFoundError, ValueError) as error:
        if isinstance(error, ValidationFailed):
            raise
        raise ValidationFailed(field, name, "is not a known time zone") from None


def default_timezone() -> str:
    """The zone for times typed without one: $ENGAGEMENT_TZ, $TZ, the system's, else UTC."""
    for variable in ("ENGAGEMENT_TZ", "TZ"):
        value = os.environ.get(variable, "").lstrip(":")
        if value and value.casefold() in _zone_names():
            return canonical_zone_name(value)
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    marker = "zoneinfo/"
    if marker in target:
        candidate = target.split(marker, 1)[1]
        if candidate.casefold() in _zone_names():
            return canonical_zone_name(candidate)
    return "UTC"


def zone_label(zone: str | None) -> str:
    """IANA's fixed-offset zones read backwards (Etc/GMT-3 is UTC+3): show the offset."""
    if zone and zone.startswith("Etc/GMT") and len(zone) > 7:
        sign = "+" if zone[7] == "-" else "-"
        return f"UTC{sign}{int(zone[8:]):02d}:00"
    return zone or ""
