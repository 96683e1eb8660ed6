"""A Python client of CustomerCard's customerd (standard library only, Python 3.11+).

`CustomerCardClient` calls the customer card's main methods with dataclasses; `Channel.call`
calls any method by name with dicts. Failures raise `RPCError` (code, message, details).
"""

from .channel import Channel, ServerStream, default_socket_path, new_idempotency_key
from .client import CustomerCardClient
from .messages import (Activity, ActivityList, Address, AddressFields, Contact, ContactFields, ContactInformation,
                       ContactRef, Customer, CustomerCard, CustomerFields, CustomerPage, CustomerQuery, FileInfo,
                       FilesTab, Link, UserRef)
from .status import ErrorDetail, RPCError, StatusCode

__all__ = [
    "Activity", "ActivityList", "Address", "AddressFields", "Channel", "Contact", "ContactFields",
    "ContactInformation", "ContactRef", "Customer", "CustomerCard", "CustomerCardClient", "CustomerFields",
    "CustomerPage", "CustomerQuery", "ErrorDetail", "FileInfo", "FilesTab", "Link", "RPCError", "ServerStream",
    "StatusCode", "UserRef", "default_socket_path", "new_idempotency_key",
]
