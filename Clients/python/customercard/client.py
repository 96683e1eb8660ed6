"""The typed client: the customer card's main calls with dataclasses, as the Swift `CustomerClient`.

    client = CustomerCardClient()                  # the default socket, as customerd uses
    acme = client.customers.create(CustomerFields(name="Acme Oy", country="FI"))
    card = client.cards.get(acme.id)

Every call takes `timeout=` (seconds), `metadata=` and, for writes, `idempotency_key=`; every
failure raises `RPCError`. Anything else: `client.call(method, dict)` (see `Channel`).
"""

from __future__ import annotations

import hashlib
import os
from typing import Iterator

from .channel import Channel, ServerStream
from .convert import from_wire, member, to_wire, wire_name
from .status import RPCError, StatusCode
from .merging import DuplicatePage, DuplicatePair, MergeReport
from .messages import (Activity, ActivityList, Address, AddressFields, Contact, ContactFields, Customer,
                       CustomerCard, CustomerFields, CustomerPage, CustomerQuery, FileInfo, FilesTab)

CUSTOMERS = "customer.v1.CustomerService/"
ADDRESSES = "customer.v1.AddressService/"
CONTACTS = "customer.v1.ContactService/"
ACTIVITIES = "customer.v1.ActivityService/"
CARDS = "customer.v1.CardService/"
FILES = "customer.v1.FileService/"
CHANGES = "customer.v1.ChangeFeedService/"
UPLOAD_CHUNK = 256 * 1024  # well under the frame limit, large enough to keep system calls few
CARD_TABS = ("contactInformation", "salesAndProjects", "collaboration", "financial", "settings", "files")


def _request(**fields) -> dict:
    """A request dict from keyword arguments in snake case, leaving out None."""
    return {wire_name(key): to_wire(value) for key, value in fields.items() if value is not None}


class _Service:
    def __init__(self, channel: Channel):
        self._channel = channel

    def _call(self, method: str, request: dict, options: dict) -> dict:
        return self._channel.call(method, request, **options)


class Customers(_Service):
    def create(self, fields: CustomerFields, *, allow_duplicate_vat: bool | None = None, **options) -> Customer:
        answer = self._call(CUSTOMERS + "CreateCustomer",
                            _request(fields=fields, allow_duplicate_vat=allow_duplicate_vat), options)
        return from_wire(Customer, answer)

    def get(self, id: int | None = None, *, number: int | None = None, **options) -> Customer:
        return from_wire(Customer, self._call(CUSTOMERS + "GetCustomer", _request(id=id, number=number), options))

    def update(self, id: int, fields: CustomerFields, *, expected_version: int | None = None,
               allow_duplicate_vat: bool | None = None, **options) -> Customer:
        request = _request(id=id, expected_version=expected_version, fields=fields,
                           allow_duplicate_vat=allow_duplicate_vat)
        return from_wire(Customer, self._call(CUSTOMERS + "UpdateCustomer", request, options))

    def list(self, query: CustomerQuery | None = None, *, limit: int | None = None,
             page_token: str | None = None, **options) -> CustomerPage:
        request = _request(query=query or CustomerQuery(), limit=limit, page_token=page_token)
        return from_wire(CustomerPage, self._call(CUSTOMERS + "ListCustomers", request, options))

    def export(self, query: CustomerQuery | None = None, **options) -> Iterator[Customer]:
        """Every customer the query finds, one message each (`StreamCustomers`), for lists of any size."""
        stream = self._channel.server_stream(CUSTOMERS + "StreamCustomers", _request(query=query or CustomerQuery()),
                                             **options)
        with stream:
            for customer in stream:
                yield from_wire(Customer, customer)

    def deactivate(self, id: int, *, expected_version: int | None = None, **options) -> Customer:
        request = _request(id=id, expected_version=expected_version)
        return from_wire(Customer, self._call(CUSTOMERS + "DeactivateCustomer", request, options))

    def activate(self, id: int, *, expected_version: int | None = None, **options) -> Customer:
        request = _request(id=id, expected_version=expected_version)
        return from_wire(Customer, self._call(CUSTOMERS + "ActivateCustomer", request, options))

    def delete(self, id: int, *, confirm: bool, **options) -> int:
        return member(self._call(CUSTOMERS + "DeleteCustomer", _request(id=id, confirm=confirm), options), "id", int,
                      "DeleteCustomerResponse")

    def find_duplicates(self, *, limit: int | None = None, page_token: str | None = None,
                        **options) -> DuplicatePage:
        """One page of candidate pairs, best first (Customers: read for all customers)."""
        request = _request(limit=limit, page_token=page_token)
        return from_wire(DuplicatePage, self._call(CUSTOMERS + "FindDuplicates", request, options))

    def duplicates(self, *, page_size: int | None = None, **options) -> Iterator[DuplicatePair]:
        """Every candidate pair, page after page. A server that hands back the token it was given
        would send the same page forever: that raises INTERNAL instead."""
        token = None
        while True:
            page = self.find_duplicates(limit=page_size, page_token=token, **options)
            yield from page.pairs
            if not page.next_page_token:
                return
            if page.next_page_token == token:
                raise RPCError(StatusCode.INTERNAL, "FindDuplicates answered the page token it was given as the "
                                                    "next one: its pages would repeat forever")
            token = page.next_page_token

    def merge(self, keep_id: int, absorb_id: int, *, dry_run: bool | None = None, do_not_fill: tuple[str, ...] = (),
              **options) -> MergeReport:
        """Moves everything of `absorb_id` to `keep_id` in one transaction and fills the fields the kept
        customer lacks, except those named in `do_not_fill`; afterwards a call on `absorb_id` raises
        NOT_FOUND with the detail `mergedInto`. A dry run changes nothing and reports the same."""
        request = _request(keep_id=keep_id, absorb_id=absorb_id, dry_run=dry_run, do_not_fill=list(do_not_fill) or None)
        return from_wire(MergeReport, self._call(CUSTOMERS + "MergeCustomers", request, options))


class Addresses(_Service):
    def add(self, customer_id: int, fields: AddressFields, **options) -> Address:
        request = _request(customer_id=customer_id, fields=fields)
        return from_wire(Address, self._call(ADDRESSES + "AddAddress", request, options))

    def update(self, id: int, fields: AddressFields, *, expected_version: int | None = None, **options) -> Address:
        request = _request(id=id, expected_version=expected_version, fields=fields)
        return from_wire(Address, self._call(ADDRESSES + "UpdateAddress", request, options))

    def remove(self, id: int, **options) -> list[Address]:
        return self._addresses(self._call(ADDRESSES + "RemoveAddress", _request(id=id), options))

    def list(self, customer_id: int, **options) -> list[Address]:
        return self._addresses(self._call(ADDRESSES + "ListAddresses", _request(customer_id=customer_id), options))

    def set_head_office(self, id: int, **options) -> list[Address]:
        return self._addresses(self._call(ADDRESSES + "SetHeadOffice", _request(id=id), options))

    @staticmethod
    def _addresses(answer: dict) -> list[Address]:
        return [from_wire(Address, address) for address in member(answer, "addresses", list, "AddressList")]


class Contacts(_Service):
    def create(self, customer_id: int, fields: ContactFields, *, keywords: list[str] = (),
               roles: list[str] = (), **options) -> Contact:
        request = _request(customer_id=customer_id, fields=fields, keywords=list(keywords), roles=list(roles))
        return from_wire(Contact, self._call(CONTACTS + "CreateContact", request, options))

    def update(self, id: int, fields: ContactFields, *, expected_version: int | None = None, **options) -> Contact:
        request = _request(id=id, expected_version=expected_version, fields=fields)
        return from_wire(Contact, self._call(CONTACTS + "UpdateContact", request, options))

    def get(self, id: int, **options) -> Contact:
        return from_wire(Contact, self._call(CONTACTS + "GetContact", _request(id=id), options))

    def list(self, customer_id: int, *, include_deactivated: bool | None = None, **options) -> list[Contact]:
        request = _request(customer_id=customer_id, include_deactivated=include_deactivated)
        answer = self._call(CONTACTS + "ListContacts", request, options)
        return [from_wire(Contact, c) for c in member(answer, "contacts", list, "ContactList")]

    def deactivate(self, id: int, *, expected_version: int | None = None, **options) -> Contact:
        request = _request(id=id, expected_version=expected_version)
        return from_wire(Contact, self._call(CONTACTS + "DeactivateContact", request, options))

    def activate(self, id: int, *, expected_version: int | None = None, **options) -> Contact:
        request = _request(id=id, expected_version=expected_version)
        return from_wire(Contact, self._call(CONTACTS + "ActivateContact", request, options))

    def delete(self, id: int, *, confirm: bool, **options) -> Contact:
        return from_wire(Contact, self._call(CONTACTS + "DeleteContact", _request(id=id, confirm=confirm), options))


class Activities(_Service):
    def add_note(self, customer_id: int, text: str, *, contact_id: int | None = None, project_id: int | None = None,
                 **options) -> Activity:
        request = _request(customer_id=customer_id, text=text, contact_id=contact_id, project_id=project_id)
        return from_wire(Activity, self._call(ACTIVITIES + "AddNote", request, options))

    def add_task(self, customer_id: int, subject: str, *, due_date=None, assignee: str | None = None,
                 contact_id: int | None = None, project_id: int | None = None, **options) -> Activity:
        request = _request(customer_id=customer_id, subject=subject, due_date=due_date, assignee=assignee,
                           contact_id=contact_id, project_id=project_id)
        return from_wire(Activity, self._call(ACTIVITIES + "AddTask", request, options))

    def add_event(self, customer_id: int, subject: str, *, starts_at, ends_at, contact_id: int | None = None,
                  project_id: int | None = None, **options) -> Activity:
        request = _request(customer_id=customer_id, subject=subject, starts_at=starts_at, ends_at=ends_at,
                           contact_id=contact_id, project_id=project_id)
        return from_wire(Activity, self._call(ACTIVITIES + "AddEvent", request, options))

    def complete_task(self, id: int, **options) -> Activity:
        return from_wire(Activity, self._call(ACTIVITIES + "CompleteTask", _request(id=id), options))

    def reopen_task(self, id: int, **options) -> Activity:
        return from_wire(Activity, self._call(ACTIVITIES + "ReopenTask", _request(id=id), options))

    def list(self, customer_id: int, *, project_id: int | None = None, **options) -> ActivityList:
        """Planned and done; with `project_id`, only that project's tasks and linked activities."""
        request = _request(customer_id=customer_id, project_id=project_id)
        return from_wire(ActivityList, self._call(ACTIVITIES + "ListActivities", request, options))


class Cards(_Service):
    def get(self, customer_id: int, *, tabs: tuple[str, ...] = CARD_TABS, from_month: str | None = None,
            to_month: str | None = None, **options) -> CustomerCard:
        """The card with the tabs asked for (all by default); `from_month`/`to_month` (`YYYY-MM`)
        bound the financial tab."""
        request = _request(customer_id=customer_id, tabs=list(tabs))
        request.update({key: value for key, value in (("from", from_month), ("to", to_month)) if value})
        return from_wire(CustomerCard, self._call(CARDS + "GetCustomerCard", request, options))


class Files(_Service):
    def upload(self, customer_id: int, name: str, data: bytes | str | os.PathLike, *,
               project_id: int | None = None, content_type: str | None = None, **options) -> FileInfo:
        """Uploads `data` (bytes, or the path of a file streamed from disk) in chunks; the server
        checks its size and SHA-256 on arrival."""
        if isinstance(data, (bytes, bytearray, memoryview)):
            content = bytes(data)
            size, digest = len(content), hashlib.sha256(content).hexdigest()
            chunks = [content[offset:offset + UPLOAD_CHUNK] for offset in range(0, size, UPLOAD_CHUNK)]
        else:
            size, digest = _file_digest(data)
            chunks = _FileChunks(data)
        header = _request(customer_id=customer_id, project_id=project_id, name=name, size=size, sha256=digest,
                          content_type=content_type)
        messages = _UploadMessages(header, chunks)
        return from_wire(FileInfo, self._channel.client_stream(FILES + "UploadFile", messages, **options))

    def download(self, id: int, **options) -> bytes:
        """The file's content, checked against the size and SHA-256 the server announces first."""
        announced: dict = {}
        parts = []
        with self._channel.server_stream(FILES + "DownloadFile", {"id": id}, **options) as stream:
            for chunk in stream:
                if isinstance(chunk.get("size"), int):
                    announced = chunk
                parts.append(member(chunk, "data", bytes, "FileChunk"))
        content = b"".join(parts)
        if "size" in announced and (len(content) != announced["size"]
                                    or hashlib.sha256(content).hexdigest() != announced.get("sha256")):
            raise RPCError(StatusCode.DATA_LOSS, f"file {id}: got {len(content)} bytes that do not match the "
                           f"announced {announced['size']} bytes and SHA-256 {announced.get('sha256')}")
        return content

    def download_chunks(self, id: int, **options) -> Iterator[bytes]:
        """The file's content chunk by chunk, unchecked; closing the iterator early cancels the call."""
        with self._channel.server_stream(FILES + "DownloadFile", {"id": id}, **options) as stream:
            for chunk in stream:
                data = member(chunk, "data", bytes, "FileChunk")
                if data:
                    yield data

    def list(self, customer_id: int, **options) -> FilesTab:
        return from_wire(FilesTab, self._call(FILES + "ListFiles", _request(customer_id=customer_id), options))

    def rename(self, id: int, name: str, **options) -> FileInfo:
        return from_wire(FileInfo, self._call(FILES + "RenameFile", _request(id=id, name=name), options))

    def remove(self, id: int, **options) -> FilesTab:
        return from_wire(FilesTab, self._call(FILES + "RemoveFile", _request(id=id), options))


class Changes(_Service):
    def watch(self, after: int | None = None, *, kinds: tuple[str, ...] = (), **options) -> Iterator[dict]:
        """Every change after sequence number `after` (0: all the server keeps; None: from now on), then
        live changes as they commit, as dicts (`sequence`, `kind`, `action`, `entityId`, `customerId`,
        `at`, `by`, `changes`, `tombstone`, ...). It never ends by itself: stop iterating (or close the
        generator) to cancel the call, and resume later with the last `sequence` you applied. A cursor
        the server no longer keeps raises `RPCError` OUT_OF_RANGE: take a fresh copy and watch from it.
        Pass no `timeout=` to the client for a watch that should outlive it."""
        request = _request(after=after, kinds=list(kinds) or None)
        with self._channel.server_stream(CHANGES + "WatchChanges", request, **options) as stream:
            yield from stream

    def bounds(self, **options) -> dict:
        """`{"prunedThrough": N, "last": M}`: the sequence numbers the feed serves now."""
        return self._call(CHANGES + "GetFeedBounds", {}, options)


def _file_digest(path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as file:
        while chunk := file.read(UPLOAD_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


class _FileChunks:
    """A file's chunks, read again from the start each time it is iterated (so a retry can resend)."""

    def __init__(self, path):
        self.path = path

    def __iter__(self):
        with open(self.path, "rb") as file:
            while chunk := file.read(UPLOAD_CHUNK):
                yield chunk


class _UploadMessages:
    """The header, then the data chunks: read lazily, so a large file is never held in memory, and
    again from the start on each iteration, so `Channel.client_stream` may resend a keyed upload."""

    def __init__(self, header: dict, chunks):
        self.header, self.chunks = header, chunks

    def __iter__(self):
        yield {"header": self.header}
        for chunk in self.chunks:
            yield {"data": chunk}


class CustomerCardClient:
    """The typed client over one `Channel` (thread-safe; reconnects after the server restarts)."""

    def __init__(self, socket_path: str | None = None, *, timeout: float | None = None, **channel_options):
        self.channel = Channel(socket_path, timeout=timeout, **channel_options)
        self.customers = Customers(self.channel)
        self.addresses = Addresses(self.channel)
        self.contacts = Contacts(self.channel)
        self.activities = Activities(self.channel)
        self.cards = Cards(self.channel)
        self.files = Files(self.channel)
        self.changes = Changes(self.channel)

    def call(self, method: str, request: dict | None = None, **options) -> dict:
        """Any unary method by name (`package.Service/Method`), with dict messages."""
        return self.channel.call(method, request, **options)

    def server_stream(self, method: str, request: dict | None = None, **options) -> ServerStream:
        return self.channel.server_stream(method, request, **options)

    def client_stream(self, method: str, requests, **options) -> dict:
        return self.channel.client_stream(method, requests, **options)

    def health(self, service: str = "", **options) -> str:
        """`SERVING`, `NOT_SERVING`, `SERVICE_UNKNOWN` or `UNKNOWN`."""
        answer = self.channel.call("rpc.health.v1.Health/Check", {"service": service}, **options)
        return member(answer, "status", str, "HealthCheckResponse")

    def close(self) -> None:
        self.channel.close()

    def __enter__(self) -> "CustomerCardClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
