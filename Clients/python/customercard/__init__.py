"""A Python client of CustomerCard's customerd (standard library only, Python 3.11+).

`CustomerCardClient` calls the customer card's main methods with dataclasses; `Channel.call`
calls any method by name with dicts. Failures raise `RPCError` (code, message, details).
"""

from .channel import Channel, ServerStream, default_socket_path, new_idempotency_key
from .client import CustomerCardClient
from .merging import CustomerRef, DuplicatePage, DuplicatePair, FieldChange, MergeConflict, MergedRecords, MergeReport
from .messages import (Activity, ActivityList, Address, AddressFields, Contact, ContactFields, ContactInformation,
                       ContactRef, Customer, CustomerCard, CustomerFields, CustomerPage, CustomerQuery, FileInfo,
                       FilesTab, Link, UserRef)
from .status import CallNotStarted, ErrorDetail, RPCError, StatusCode

__all__ = [
    "Activity", "ActivityList", "Address", "AddressFields", "CallNotStarted", "Channel", "Contact", "ContactFields",
    "ContactInformation", "ContactRef", "Customer", "CustomerCard", "CustomerCardClient", "CustomerFields",
    "CustomerPage", "CustomerQuery", "CustomerRef", "DuplicatePage", "DuplicatePair", "ErrorDetail", "FieldChange",
    "FileInfo", "FilesTab", "Link", "MergeConflict", "MergeReport", "MergedRecords", "RPCError", "ServerStream",
    "StatusCode", "UserRef", "default_socket_path", "new_idempotency_key",
]
