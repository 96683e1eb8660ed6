"""Dataclasses of duplicate detection and merging (`FindDuplicates`, `MergeCustomers`;
docs/MERGING.md), in the shape of `messages`: wire names in snake case, unknown fields skipped."""

from __future__ import annotations

from dataclasses import dataclass, field

from .messages import Customer


@dataclass(kw_only=True)
class CustomerRef:
    id: int
    number: int
    name: str


@dataclass(kw_only=True)
class DuplicatePair:
    """Two customers that look like one; `reasons` are `sameVatNumber`, `sameName`, `sameDomain`,
    `samePhone`, and `score` grows with them."""
    first: CustomerRef
    second: CustomerRef
    score: int
    reasons: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class DuplicatePage:
    pairs: list[DuplicatePair] = field(default_factory=list)
    next_page_token: str | None = None


@dataclass(kw_only=True)
class MergedRecords:
    """The ids of one kind of record (`addresses`, `contacts`, ...) moved to the kept customer."""
    kind: str
    ids: list[int] = field(default_factory=list)


@dataclass(kw_only=True)
class FieldChange:
    field: str
    old_value: str | None = None
    new_value: str | None = None
    erased: bool = False


@dataclass(kw_only=True)
class MergeConflict:
    """A field both customers have with different values: the kept one's stays."""
    kind: str
    subject: str
    kept: str | None = None
    absorbed: str | None = None


@dataclass(kw_only=True)
class MergeReport:
    """What a merge did, or (`dry_run`) would do: the same report either way."""
    dry_run: bool
    kept: Customer
    absorbed_id: int
    moved: list[MergedRecords] = field(default_factory=list)
    filled: list[FieldChange] = field(default_factory=list)
    conflicts: list[MergeConflict] = field(default_factory=list)
