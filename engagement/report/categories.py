"""The report's sections and wording, read from a small YAML file.

Delegations file their stakeholders differently and word their reports differently, so neither
is hard-coded: ``categories.yaml`` beside this module is the default (the seed report's sections,
in its order), and ``engagement report --sections FILE`` takes another one. The file is checked
whole on load, templates included, so a typo fails before any query runs and names the file.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from engagement.errors import ReportConfigInvalid
from engagement.vocab import InteractionKind, StakeholderKind

DEFAULT_CONFIG = Path(__file__).with_name("categories.yaml")
# A new kind of section (issue 9's commitments, say) is a name here and a builder registered in
# ``engagement.report.build.SECTION_BUILDERS``.
SECTION_TYPES = ("stakeholders", "countries")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionConfig(_Strict):
    key: str = Field(min_length=1, max_length=64)
    heading: str = Field(min_length=1, max_length=200)
    type: str = "stakeholders"
    kinds: list[StakeholderKind] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    by_country: bool = False
    fallback: bool = False
    summary: str = ""


class KindWording(_Strict):
    noun: str
    plural: str
    phrase: str


class RecurringWording(_Strict):
    frequencies: dict[str, str] = Field(default_factory=dict)
    nouns: dict[str, str] = Field(default_factory=dict)
    default_noun: str = "contacts"

    def noun(self, kind: str, frequency: str) -> str:
        return self.nouns.get(f"{kind}/{frequency}") or self.nouns.get(kind) or self.default_noun


class Limits(_Strict):
    names_per_line: int = Field(default=6, ge=1, le=100)
    lines_per_entry: int = Field(default=15, ge=1, le=10_000)
    entries_per_section: int = Field(default=40, ge=1, le=10_000)


class ReportConfig(_Strict):
    subject: str = "the delegation"
    first_time_tags: list[str] = Field(default_factory=list)
    event_kinds: list[InteractionKind] = Field(default_factory=list)
    limits: Limits = Field(default_factory=Limits)
    sections: list[SectionConfig] = Field(min_length=1)
    hosted: str
    kinds: dict[InteractionKind, KindWording]
    recurring: RecurringWording = Field(default_factory=RecurringWording)

    @model_validator(mode="after")
    def _consistent(self) -> ReportConfig:
        keys = [section.key for section in self.sections]
        if len(set(keys)) != len(keys):
            raise ValueError("section keys must be unique")
        missing = [kind.value for kind in InteractionKind if kind not in self.kinds]
        if missing:
            raise ValueError(f"kinds: no wording for {', '.join(missing)}")
        for section in self.sections:
            if section.type not in SECTION_TYPES:
                raise ValueError(
                    f"section {section.key!r}: type {section.type!r} is not one of "
                    f"{', '.join(SECTION_TYPES)}"
                )
            _check_template(section.summary, {"Subject", "subject", "count", "countries"})
        _check_template(self.hosted, {"noun", "title", "hosts"})
        for wording in self.kinds.values():
            _check_template(wording.phrase, {"with", "title"})
        return self

    def section_for(self, kind: StakeholderKind, tags: list[str]) -> SectionConfig | None:
        """Tags first (a forensic institute is filed under forensic expertise, not academia),
        then kinds, then the fallback section."""
        for section in self.sections:
            if section.tags and set(section.tags) & set(tags):
                return section
        for section in self.sections:
            if kind in section.kinds:
                return section
        return next((section for section in self.sections if section.fallback), None)


def _check_template(template: str, allowed: set[str]) -> None:
    import string

    for _, field, _, _ in string.Formatter().parse(template):
        if field is not None and field not in allowed:
            raise ValueError(
                f"template {template!r} uses {{{field}}}; it may use "
                + ", ".join(f"{{{name}}}" for name in sorted(allowed))
            )


def load_config(path: Path | str | None = None) -> ReportConfig:
    """The default configuration, or the one in ``path``."""
    if path is None:
        return _default_config()
    return _read(Path(path))


@functools.cache
def _default_config() -> ReportConfig:
    return _read(DEFAULT_CONFIG)


def _read(path: Path) -> ReportConfig:
    import yaml

    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReportConfigInvalid(str(path), error.strerror or str(error)) from None
    except yaml.YAMLError as error:
        raise ReportConfigInvalid(str(path), f"not valid YAML ({error})") from None
    try:
        return ReportConfig.model_validate(raw)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise ReportConfigInvalid(str(path), f"{where}: {message}" if where else message) from None
