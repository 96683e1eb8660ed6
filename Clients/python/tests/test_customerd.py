"""The Python client against a real customerd on a real socket with a real SQLite file.

The server binary: `CUSTOMERD`, else the debug build (`swift build --product customerd`).
"""

import datetime as dt
import hashlib
import os
import threading
import time
import unittest

from customercard import (AddressFields, Channel, ContactFields, CustomerCardClient, CustomerFields, CustomerQuery,
                          RPCError, StatusCode)
from daemon import Daemon

TIMEOUT = 120  # a bound for calls that must not hang, far above what a busy machine takes


class ServerTestCase(unittest.TestCase):
    daemon: Daemon

    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon()
        try:
            cls.daemon.start()
        except BaseException:
            cls.daemon.remove()
            raise
        cls.client = CustomerCardClient(cls.daemon.socket, timeout=TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.daemon.remove()

    def assertRefused(self, code: StatusCode, call, *args, **kwargs) -> RPCError:
        with self.assertRaises(RPCError) as caught:
            call(*args, **kwargs)
        self.assertEqual(caught.exception.code, code, str(caught.exception))
        return caught.exception

    def new_customer(self, name: str, **fields):
        return self.client.customers.create(CustomerFields(name=name, country="FI", **fields))

    def customer_count(self) -> int:
        return sum(1 for _ in self.client.customers.export(CustomerQuery(status="all")))


class CustomerCallTests(ServerTestCase):
    def test_the_server_is_serving_and_speaks_version_1(self):
        self.assertEqual(self.client.health(), "SERVING")
        info = self.client.call("rpc.info.v1.ServerInfo/GetServerInfo")
        self.assertEqual(info["protocol_version"], 1)
        self.assertEqual(info["server_name"], "customerd")

    def test_a_created_customer_reads_back_and_updates_with_its_version(self):
        created = self.new_customer("Acme Oy", email="info@acme.fi", vat_number="FI01120389")
        fetched = self.client.customers.get(created.id)
        self.assertEqual(fetched, created)
        self.assertEqual(self.client.customers.get(number=created.number).id, created.id)
        self.assertEqual(fetched.created_at.tzinfo, dt.timezone.utc)
        updated = self.client.customers.update(created.id, CustomerFields(phone="+358 9 123"),
                                               expected_version=created.version)
        self.assertEqual((updated.phone, updated.version, updated.email), ("+358 9 123", created.version + 1,
                                                                           "info@acme.fi"))
        stale = self.assertRefused(StatusCode.ABORTED, self.client.customers.update, created.id,
                                   CustomerFields(phone="+358 9 456"), expected_version=created.version)
        self.assertIn("version", stale.message)
        self.assertEqual(self.client.customers.get(created.id).phone, "+358 9 123")

    def test_a_refused_write_names_the_field_and_changes_nothing(self):
        before = self.customer_count()
        error = self.assertRefused(StatusCode.INVALID_ARGUMENT, self.client.customers.create,
                                   CustomerFields(name="   ", country="FI"))
        self.assertEqual(error.fields, ["name"])
        error = self.assertRefused(StatusCode.INVALID_ARGUMENT, self.client.customers.create,
                                   CustomerFields(name="Bad Mail Oy", country="FI", email="not an address"))
        self.assertEqual(error.fields, ["email"])
        self.assertEqual(self.customer_count(), before)

    def test_a_missing_customer_is_not_found(self):
        self.assertRefused(StatusCode.NOT_FOUND, self.client.customers.get, 987654321)

    def test_addresses_contacts_and_activities_show_on_the_card(self):
        customer = self.new_customer("Kortti Oy")
        first = self.client.addresses.add(customer.id, AddressFields(street1="Keilalahdentie 4", postal_code="02150",
                                                                     city="Espoo", country="FI"))
        self.assertTrue(first.is_head_office)
        billing = self.client.addresses.add(customer.id, AddressFields(street1="PL 1", city="Espoo", country="FI",
                                                                       kind="billing"))
        self.assertEqual((billing.kind, billing.is_head_office), ("billing", False))
        contact = self.client.contacts.create(customer.id, ContactFields(first_name="Aino", last_name="Virtanen",
                                                                         email="aino@kortti.fi"))
        self.client.activities.add_note(customer.id, "Met at the fair", contact_id=contact.id)
        task = self.client.activities.add_task(customer.id, "Send the offer",
                                               due_date=dt.datetime(2030, 1, 15, 12, tzinfo=dt.timezone.utc))
        self.assertEqual(task.due_date, dt.datetime(2030, 1, 15, 12, tzinfo=dt.timezone.utc))
        self.assertTrue(self.client.activities.complete_task(task.id).done)

        card = self.client.cards.get(customer.id)
        self.assertEqual(card.customer.id, customer.id)
        info = card.contact_information
        self.assertEqual([a.id for a in info.addresses if a.is_head_office], [first.id])
        self.assertEqual({a.id for a in info.addresses}, {first.id, billing.id})
        self.assertEqual([c.email for c in info.contacts], ["aino@kortti.fi"])
        self.assertEqual(sorted(a.subject for a in info.activities.done), ["Met at the fair", "Send the offer"])
        self.assertEqual(info.activities.done[0].created_by.name, card.customer.created_by.name)
        self.assertEqual(card.files.files, [])
        only_contacts = self.client.cards.get(customer.id, tabs=("contactInformation",))
        self.assertIsNone(only_contacts.files)

        self.assertRefused(StatusCode.FAILED_PRECONDITION, self.client.addresses.remove, first.id)
        self.assertEqual([a.id for a in self.client.addresses.set_head_office(billing.id) if a.is_head_office],
                         [billing.id])
        self.client.contacts.deactivate(contact.id)
        self.assertEqual(self.client.contacts.list(customer.id), [])
        self.assertEqual(len(self.client.contacts.list(customer.id, include_deactivated=True)), 1)

    def test_export_streams_every_customer_with_a_small_window(self):
        names = {f"Export {number:03} Oy" for number in range(40)}
        for name in names:
            self.new_customer(name)
        # A 1 KiB window makes the server wait for our WINDOW_UPDATEs many times over.
        with CustomerCardClient(self.daemon.socket, timeout=TIMEOUT, initial_window=1024) as small:
            exported = [c.name for c in small.customers.export(CustomerQuery(search="Export", status="all"))]
        self.assertEqual(sorted(exported), sorted(names))

    def test_watch_yields_the_backlog_then_live_changes_in_order(self):
        first = self.new_customer("Watched Oy")
        start = self.client.changes.bounds()["last"]
        second = self.new_customer("Watched Too Oy")
        events = self.client.changes.watch(after=start - 1, kinds=("customer",))
        seen = []
        for event in events:
            seen.append(event)
            if event["entityId"] == second.id:
                break
        events.close()
        self.assertEqual([e["entityId"] for e in seen if e["action"] == "created"], [first.id, second.id])
        self.assertTrue(all(a["sequence"] < b["sequence"] for a, b in zip(seen, seen[1:])))
        self.assertIn({"field": "name", "newValue": "Watched Too Oy"},
                      [{k: v for k, v in c.items() if k in ("field", "newValue")} for c in seen[-1]["changes"]])
        self.assertRefused(StatusCode.OUT_OF_RANGE, lambda: next(self.client.changes.watch(after=10 ** 12)))

    def test_a_file_uploads_in_chunks_and_downloads_the_same(self):
        customer = self.new_customer("Tiedosto Oy")
        content = os.urandom(1_300_000)  # several chunks, more than one flow-control window
        info = self.client.files.upload(customer.id, "offer.pdf", content, content_type="application/pdf")
        self.assertEqual((info.size, info.sha256), (len(content), hashlib.sha256(content).hexdigest()))
        self.assertEqual(self.client.files.download(info.id), content)
        self.assertEqual([f.name for f in self.client.files.list(customer.id).files], ["offer.pdf"])

    def test_an_upload_whose_content_does_not_match_its_header_is_refused_and_stores_nothing(self):
        customer = self.new_customer("Väärä Oy")
        header = {"customerId": customer.id, "name": "short.txt", "size": 10, "sha256": "0" * 64}
        error = self.assertRefused(StatusCode.INVALID_ARGUMENT, self.client.client_stream,
                                   "customer.v1.FileService/UploadFile", [{"header": header}, {"data": b"abc"}])
        self.assertTrue(error.details, str(error))
        self.assertEqual(self.client.files.list(customer.id).files, [])

    def test_the_generic_call_reaches_any_method_by_name(self):
        customer = self.new_customer("Yleinen Oy")
        answer = self.client.call("customer.v1.CustomerService/GetCustomer", {"id": customer.id})
        self.assertEqual((answer["name"], answer["active"]), ("Yleinen Oy", True))
        settings = self.client.call("customer.v1.SettingsService/GetSettings", {"customerId": customer.id})
        self.assertEqual(settings["customerId"], customer.id)
        services = self.client.call("rpc.reflection.v1.Reflection/ListServices")["services"]
        self.assertIn("customer.v1.CustomerService", [s["name"] for s in services])
        self.assertRefused(StatusCode.UNIMPLEMENTED, self.client.call, "customer.v1.CustomerService/Nothing", {})
        typo = self.assertRefused(StatusCode.INVALID_ARGUMENT, self.client.call,
                                  "customer.v1.CustomerService/GetCustomer", {"idd": 1})
        self.assertEqual(typo.fields, ["idd"])

    def test_a_deadline_expires_as_deadline_exceeded_and_the_connection_goes_on(self):
        customer = self.new_customer("Kiire Oy")
        info = self.client.files.upload(customer.id, "big.bin", os.urandom(600_000))
        # A 1-byte window: the server sends one chunk, then waits for credit we do not give.
        with Channel(self.daemon.socket, initial_window=1) as channel:
            stream = channel.server_stream("customer.v1.FileService/DownloadFile", {"id": info.id}, timeout=0.5)
            time.sleep(0.6)  # let the deadline pass before reading anything
            with self.assertRaises(RPCError) as caught:
                for _ in stream:
                    pass
            self.assertEqual(caught.exception.code, StatusCode.DEADLINE_EXCEEDED)
            self.assertEqual(channel.call("customer.v1.CustomerService/GetCustomer", {"id": customer.id},
                                          timeout=TIMEOUT)["name"], "Kiire Oy")

    def test_a_cancelled_stream_ends_on_the_server_and_the_connection_goes_on(self):
        customer = self.new_customer("Peru Oy")
        info = self.client.files.upload(customer.id, "big.bin", os.urandom(600_000))
        cancelled_before = self.cancelled_calls()
        with Channel(self.daemon.socket, timeout=TIMEOUT, initial_window=1) as channel:
            stream = channel.server_stream("customer.v1.FileService/DownloadFile", {"id": info.id})
            self.assertEqual(next(stream)["size"], 600_000)  # the first message announces the file
            stream.cancel()
            self.assertEqual(list(stream), [])
            self.assertEqual(channel.call("customer.v1.CustomerService/GetCustomer", {"id": customer.id})["name"],
                             "Peru Oy")
        self.assertEqual(self.cancelled_calls_after(cancelled_before), cancelled_before + 1)

    def test_a_stream_dropped_unread_is_cancelled(self):
        customer = self.new_customer("Unohdettu Oy")
        info = self.client.files.upload(customer.id, "big.bin", os.urandom(600_000))
        cancelled_before = self.cancelled_calls()
        with Channel(self.daemon.socket, timeout=TIMEOUT, initial_window=1) as channel:
            channel.server_stream("customer.v1.FileService/DownloadFile", {"id": info.id})  # dropped at once
            self.assertEqual(self.cancelled_calls_after(cancelled_before), cancelled_before + 1)

    def cancelled_calls_after(self, before: int) -> int:
        """The count of CANCELLED calls once it has grown past `before`: the server counts a call
        when its handler has seen the CANCEL."""
        for _ in range(3000):
            count = self.cancelled_calls()
            if count > before:
                return count
            time.sleep(0.02)
        return self.cancelled_calls()

    def cancelled_calls(self) -> int:
        counts = self.client.call("rpc.info.v1.ServerInfo/GetServerInfo")["calls_by_status"]
        return sum(entry["count"] for entry in counts if entry["code"] == "CANCELLED")

    def test_an_idempotency_key_makes_a_retried_write_happen_once(self):
        fields = CustomerFields(name="Kerran Oy", country="FI")
        first = self.client.customers.create(fields, idempotency_key="python-test-create-1")
        again = self.client.customers.create(fields, idempotency_key="python-test-create-1")
        self.assertEqual(again, first)
        self.assertEqual(len(self.client.customers.list(CustomerQuery(search="Kerran")).customers), 1)
        other = self.assertRefused(StatusCode.FAILED_PRECONDITION, self.client.customers.create,
                                   CustomerFields(name="Toinen Oy", country="FI"), idempotency_key="python-test-create-1")
        self.assertEqual(other.fields, ["idempotency-key"])
        # Without a key of their own, two identical writes get two keys: two customers.
        self.client.customers.create(CustomerFields(name="Kahdesti Oy", country="FI"))
        self.client.customers.create(CustomerFields(name="Kahdesti Oy", country="FI"))
        self.assertEqual(len(self.client.customers.list(CustomerQuery(search="Kahdesti")).customers), 2)

    def test_calls_from_many_threads_share_one_connection(self):
        customers = [self.new_customer(f"Säie {number} Oy") for number in range(8)]
        failures = []

        def read(customer):
            try:
                for _ in range(25):
                    if self.client.customers.get(customer.id).name != customer.name:
                        failures.append(f"wrong answer for {customer.id}")
            except RPCError as error:
                failures.append(str(error))

        threads = [threading.Thread(target=read, args=(customer,)) for customer in customers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(failures, [])


class ReconnectTests(unittest.TestCase):
    def test_after_goaway_and_a_restart_the_next_call_reconnects(self):
        daemon = Daemon()
        self.addCleanup(daemon.remove)
        daemon.start()
        client = CustomerCardClient(daemon.socket, timeout=TIMEOUT)
        self.addCleanup(client.close)
        created = client.customers.create(CustomerFields(name="Pysyvä Oy", country="FI"))
        daemon.stop()  # GOAWAY, then the socket closes
        with self.assertRaises(RPCError) as caught:
            client.customers.get(created.id)
        self.assertEqual(caught.exception.code, StatusCode.UNAVAILABLE)
        daemon.start()
        self.assertEqual(client.customers.get(created.id).name, "Pysyvä Oy")


class DuplicateAndMergeTests(ServerTestCase):
    """A server of its own, so the duplicate pairs listed are only this test's."""

    def test_duplicates_are_found_and_a_merge_moves_the_absorbed_customers_records(self):
        keep = self.new_customer("Acme Oy", vat_number="FI01120389", email="info@acme.fi")
        absorb = self.client.customers.create(
            CustomerFields(name="ACME oy", country="FI", vat_number="FI 0112038-9", website="acme.fi",
                           phone="+358 40 123 4567"),
            allow_duplicate_vat=True)
        contact = self.client.contacts.create(absorb.id, ContactFields(first_name="Aino", last_name="Virtanen"))
        self.new_customer("Someone Else Ab", email="info@else.fi")

        pairs = list(self.client.customers.duplicates(page_size=1))
        self.assertEqual(len(pairs), 1, pairs)
        self.assertEqual({pairs[0].first.id, pairs[0].second.id}, {keep.id, absorb.id})
        self.assertIn("sameVatNumber", pairs[0].reasons)
        self.assertGreater(pairs[0].score, 0)

        dry = self.client.customers.merge(keep.id, absorb.id, dry_run=True)
        self.assertTrue(dry.dry_run)
        self.assertEqual(self.client.customers.get(absorb.id).name, "ACME oy")
        self.assertEqual([c.id for c in self.client.contacts.list(absorb.id)], [contact.id])

        report = self.client.customers.merge(keep.id, absorb.id, do_not_fill=("website",))
        self.assertFalse(report.dry_run)
        self.assertEqual((report.kept.id, report.absorbed_id), (keep.id, absorb.id))
        self.assertEqual({moved.kind: moved.ids for moved in report.moved}.get("contacts"), [contact.id])
        self.assertEqual([change.field for change in report.filled], ["phone"])
        self.assertEqual(report.kept.phone, absorb.phone)
        self.assertIsNone(report.kept.website)
        self.assertEqual(dry.moved, report.moved)

        gone = self.assertRefused(StatusCode.NOT_FOUND, self.client.customers.get, absorb.id)
        self.assertEqual([(d.field, d.reason) for d in gone.details], [("mergedInto", str(keep.id))])
        self.assertEqual([c.id for c in self.client.contacts.list(keep.id)], [contact.id])
        self.assertEqual(list(self.client.customers.duplicates()), [])
        self.assertRefused(StatusCode.INVALID_ARGUMENT, self.client.customers.merge, keep.id, keep.id)


if __name__ == "__main__":
    unittest.main()
