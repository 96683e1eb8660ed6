"""Dataclasses of the customer card's main messages (Protocol/CUSTOMER-API.md).

Attributes are the wire fields' names in snake case (`customerId` -> `customer_id`); fields a newer
server adds are skipped, fields left None are not sent. Enums are their case names (`"billing"`),
timestamps timezone-aware `datetime`s, money `decimal.Decimal`. The card's tabs other than the
contact information stay dicts as the generic `Channel.call` returns them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(kw_only=True)
class UserRef:
    id: int
    name: str


@dataclass(kw_only=True)
class CustomerFields:
    """What a create sets, or an update changes (None: unchanged; "" clears an optional text)."""
    number: int | None = None
    name: str | None = None
    account_manager: str | None = None
    description: str | None = None
    vat_number: str | None = None
    country: str | None = None
    industry: str | None = None
    email: str | None = None
    website: str | None = None
    phone: str | None = None


@dataclass(kw_only=True)
class AddressFields:
    street1: str | None = None
    street2: str | None = None
    street3: str | None = None
    postal_code: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    kind: str | None = None  # "visiting", "postal", "billing" or "delivery"


@dataclass(kw_only=True)
class Address:
    id: int
    customer_id: int
    street: list[str] = field(default_factory=list)
    postal_code: str | None = None
    city: str | None = None
    region: str | None = None
    country: str = ""
    kind: str = "visiting"
    is_head_office: bool = False
    version: int = 0
    created_at: dt.datetime | None = None
    created_by: UserRef | None = None
    updated_at: dt.datetime | None = None
    updated_by: UserRef | None = None


@dataclass(kw_only=True)
class Customer:
    id: int
    number: int
    name: str
    account_manager: UserRef | None = None
    description: str | None = None
    vat_number: str | None = None
    country: str | None = None
    industry: str | None = None
    email: str | None = None
    website: str | None = None
    phone: str | None = None
    active: bool = True
    version: int = 0
    created_at: dt.datetime | None = None
    created_by: UserRef | None = None
    updated_at: dt.datetime | None = None
    updated_by: UserRef | None = None
    head_office: Address | None = None
    business_id: str | None = None
    registry_status: str | None = None
    registry_checked_at: dt.datetime | None = None


@dataclass(kw_only=True)
class CustomerQuery:
    status: str | None = None  # "active" (default), "inactive" or "all"
    search: str | None = None
    country: str | None = None
    account_manager: str | None = None
    changed_since: dt.datetime | None = None
    order: str | None = None  # "name" or "number"


@dataclass(kw_only=True)
class CustomerPage:
    customers: list[Customer] = field(default_factory=list)
    next_page_token: str | None = None


@dataclass(kw_only=True)
class ContactFields:
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    language: str | None = None
    notes: str | None = None


@dataclass(kw_only=True)
class Contact:
    id: int
    customer_id: int
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    language: str | None = None
    notes: str | None = None
    keywords: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    active: bool = True
    deleted: bool = False
    version: int = 0
    created_at: dt.datetime | None = None
    created_by: UserRef | None = None
    updated_at: dt.datetime | None = None
    updated_by: UserRef | None = None


@dataclass(kw_only=True)
class ContactRef:
    id: int
    name: str | None = None
    deleted: bool = False


@dataclass(kw_only=True)
class Activity:
    id: int
    customer_id: int
    kind: str  # "note", "task", "event" or "projectTask"
    subject: str
    due_date: dt.datetime | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    assignee: UserRef | None = None
    contact: ContactRef | None = None
    done: bool = False
    completed_at: dt.datetime | None = None
    completed_by: UserRef | None = None
    project_id: int | None = None
    project_name: str | None = None
    version: int = 0
    created_at: dt.datetime | None = None
    created_by: UserRef | None = None
    updated_at: dt.datetime | None = None
    updated_by: UserRef | None = None


@dataclass(kw_only=True)
class ActivityList:
    planned: list[Activity] = field(default_factory=list)
    done: list[Activity] = field(default_factory=list)


@dataclass(kw_only=True)
class ContactInformation:
    addresses: list[Address] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    activities: ActivityList = field(default_factory=ActivityList)


@dataclass(kw_only=True)
class FileInfo:
    id: int
    customer_id: int
    project_id: int | None = None
    project_name: str | None = None
    name: str
    size: int
    sha256: str
    content_type: str | None = None
    created_at: dt.datetime | None = None
    created_by: UserRef | None = None
    updated_at: dt.datetime | None = None
    updated_by: UserRef | None = None


@dataclass(kw_only=True)
class Link:
    id: int
    customer_id: int
    project_id: int | None = None
    project_name: str | None = None
    url: str
    title: str
    created_at: dt.datetime | None = None
    created_by: UserRef | None = None
    updated_at: dt.datetime | None = None
    updated_by: UserRef | None = None


@dataclass(kw_only=True)
class FilesTab:
    files: list[FileInfo] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


@dataclass(kw_only=True)
class CustomerCard:
    """The whole card; a tab not asked for is None."""
    customer: Customer
    contact_information: ContactInformation | None = None
    sales_and_projects: dict | None = None
    collaboration: dict | None = None
    financial: dict | None = None
    settings: dict | None = None
    files: FilesTab | None = None
    financial_hidden: bool | None = None
