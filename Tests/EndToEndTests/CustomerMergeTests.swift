import CustomerClient
import CustomerStore
import Foundation
import Testing

/// Issue 18 §2 through a real server: finding duplicates and merging them.
@Suite struct CustomerMergeTests {
    /// A kept customer with a head office, and a duplicate with one of every kind a merge moves.
    private struct Pair {
        let kept: Customer
        let absorbed: Customer
        let keptOffice: Address
        let absorbedOffice: Address
        let contact: Contact
        let note: Activity
        let salesCase: Project
        let project: Project
        let file: FileInfo
        let link: Link
        let invoice: Invoice

        init(_ client: CustomerClient) async throws {
            kept = try await client.customers.create(CustomerFields(name: "Fjordkraft AS", country: "NO", email: "post@fjordkraft.no"))
            absorbed = try await client.customers.create(CustomerFields(
                name: "FJORDKRAFT ASA", description: "Imported twice", country: "NO", website: "https://www.fjordkraft.no",
                phone: "+47 55 00 00 00"))
            keptOffice = try await client.addresses.add(customerID: kept.id, AddressFields(city: "Bergen", country: "NO"))
            absorbedOffice = try await client.addresses.add(customerID: absorbed.id, AddressFields(city: "Oslo", country: "NO"))
            contact = try await client.contacts.create(customerID: absorbed.id, ContactFields(firstName: "Ola", lastName: "Nordmann"))
            note = try await client.activities.note(customerID: absorbed.id, "Asked for a quote", contactID: contact.id)
            salesCase = try await client.projects.createSalesCase(customerID: absorbed.id, ProjectFields(name: "Quote"))
            project = try await client.projects.createProject(customerID: absorbed.id, ProjectFields(name: "Delivery"))
            file = try await client.files.upload(customerID: absorbed.id, name: "contract.txt", data: Data("signed".utf8))
            link = try await client.files.addLink(customerID: absorbed.id, url: "https://fjordkraft.no/deal", title: "Deal")
            invoice = try await client.invoices.issue(IssueInvoiceRequest(customerId: absorbed.id, total: 990, currency: "NOK"))
        }
    }

    /// A `Pair` merged by another administrator, "merger", so that stamps and history entries
    /// written by the merge are told apart from those of the records' creator.
    private static func mergedByAnotherUser(_ server: TestServer, _ client: CustomerClient) async throws -> Pair {
        let pair = try await Pair(client)
        let mergerUID: UInt32 = getuid() == 4252 ? 4253 : 4252
        _ = try await client.users.add(uid: mergerUID, name: "merger", isAdministrator: true)
        let merger = server.client(asUID: mergerUID)
        defer { merger.close() }
        _ = try await merger.customers.merge(keep: pair.kept.id, absorb: pair.absorbed.id)
        return pair
    }

    @Test func duplicatesArePairedAndAMergeMovesEveryKind() async throws {
        try await withServer { _, client in
            let pair = try await Pair(client)
            let duplicates = try await client.customers.findDuplicates()
            #expect(duplicates.pairs.map { [$0.first.id, $0.second.id] } == [[pair.kept.id, pair.absorbed.id]])
            #expect(duplicates.pairs.first?.reasons == ["sameName", "sameDomain"])
            #expect(duplicates.nextPageToken == nil)

            let merge = try await client.customers.merge(keep: pair.kept.id, absorb: pair.absorbed.id)
            #expect(!merge.dryRun)
            #expect(Dictionary(uniqueKeysWithValues: merge.moved.map { ($0.kind, $0.ids) }) == [
                "addresses": [pair.absorbedOffice.id], "contacts": [pair.contact.id], "activities": [pair.note.id],
                "salesCases": [pair.salesCase.id], "projects": [pair.project.id], "files": [pair.file.id],
                "links": [pair.link.id], "invoices": [pair.invoice.id],
            ])
            // Every kind is now found under the kept customer.
            let addresses = try await client.addresses.list(customerID: pair.kept.id)
            #expect(Set(addresses.map(\.id)) == [pair.keptOffice.id, pair.absorbedOffice.id])
            #expect(addresses.first { $0.isHeadOffice }?.id == pair.keptOffice.id)
            #expect(try await client.contacts.get(id: pair.contact.id).customerId == pair.kept.id)
            #expect(try await client.projects.list(customerID: pair.kept.id).map(\.id).sorted() == [pair.salesCase.id, pair.project.id])
            let filesTab = try await client.files.list(customerID: pair.kept.id)
            #expect(filesTab.files.map(\.id) == [pair.file.id] && filesTab.links.map(\.id) == [pair.link.id])
            let invoice = try await client.invoices.get(id: pair.invoice.id)
            #expect(invoice.customerId == pair.kept.id && invoice.customerName == "FJORDKRAFT ASA")
            // Fields the kept customer lacked came along; its own email stayed.
            #expect(merge.kept.website == "https://www.fjordkraft.no" && merge.kept.email == "post@fjordkraft.no")
            #expect(try await client.customers.get(id: pair.kept.id) == merge.kept)
            #expect(try await client.customers.findDuplicates().pairs.isEmpty)
            // Both histories record it.
            #expect(try await client.history.list(.customer, id: pair.kept.id).last?.action == "merged")
            #expect(try await client.history.list(.customer, id: pair.absorbed.id).last?.action == "merged")
        }
    }

    @Test func theAbsorbedIdAnswersNotFoundNamingTheSurvivorOnEveryCall() async throws {
        try await withServer { _, client in
            let (a, b, c) = (try await client.customers.create(CustomerFields(name: "A")),
                             try await client.customers.create(CustomerFields(name: "B")),
                             try await client.customers.create(CustomerFields(name: "C")))
            _ = try await client.customers.merge(keep: b.id, absorb: a.id)
            _ = try await client.customers.merge(keep: c.id, absorb: b.id)
            let calls: [@Sendable () async throws -> Void] = [
                { _ = try await client.customers.get(id: a.id) },
                { _ = try await client.customers.update(id: a.id, CustomerFields(description: "x")) },
                { _ = try await client.contacts.create(customerID: a.id, ContactFields(lastName: "Late")) },
                { _ = try await client.addresses.add(customerID: a.id, AddressFields(country: "FI")) },
                { _ = try await client.activities.note(customerID: a.id, "late") },
                { _ = try await client.customers.merge(keep: c.id, absorb: a.id, dryRun: true) },
            ]
            for call in calls {
                let error = await outcome(of: call)
                #expect(error?.code == .notFound)
                #expect(error?.message == "customer \(a.id) was merged into customer \(c.id)")
                #expect(error?.details == [ErrorDetail(field: "mergedInto", reason: String(c.id))])
            }
        }
    }

    @Test func aDryRunShowsConflictsAndChangesNothing() async throws {
        try await withServer { server, client in
            let pair = try await Pair(client)
            let before = try StoreSnapshot.read(databasePath: server.databasePath)
            let plan = try await client.customers.merge(keep: pair.kept.id, absorb: pair.absorbed.id, dryRun: true,
                                                        doNotFill: ["phone"])
            #expect(plan.dryRun)
            #expect(plan.conflicts.contains(MergeConflict(kind: "headOffice", subject: "headOffice",
                                                          kept: String(pair.keptOffice.id), absorbed: String(pair.absorbedOffice.id))))
            #expect(plan.filled.map(\.field) == ["description", "website"])
            // Only the client's automatic idempotency key, which remembers this answer for a retry,
            // and the keys' clock, stored with it.
            let changed = try StoreSnapshot.read(databasePath: server.databasePath).changedTables(comparedTo: before)
            #expect(changed == ["idempotency_key_clock", "idempotency_keys"])
        }
    }

    @Test func aCustomerCannotAbsorbItself() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Solo Oy"))
            let error = await outcome { _ = try await client.customers.merge(keep: customer.id, absorb: customer.id) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.details.map(\.field) == ["absorbId"])
            #expect(try await client.customers.get(id: customer.id) == customer)
        }
    }

    @Test func withoutTheDeleteRightAMergeIsRefusedAndChangesNothing() async throws {
        try await withPermissionServer(profile: BuiltIn.sales.rawValue) { fixture in
            let before = try fixture.snapshot()
            let error = await outcome {
                _ = try await fixture.client.customers.merge(keep: fixture.seed.ownCustomer, absorb: fixture.seed.deletableCustomer)
            }
            #expect(error?.code == .permissionDenied)
            #expect(error?.details.map(\.field) == ["right"])
            #expect(try fixture.snapshot().changedTables(comparedTo: before) == [])
        }
    }

    /// A moved contact or address changed (its customer): the card's "updated at and by" says when
    /// and by whom, as for any other change; a record that stays is not touched.
    @Test func movedContactsAndAddressesAreStampedAsUpdatedByTheMerge() async throws {
        try await withServer { server, client in
            let pair = try await Self.mergedByAnotherUser(server, client)

            let contact = try await client.contacts.get(id: pair.contact.id)
            let addresses = try await client.addresses.list(customerID: pair.kept.id)
            let moved = try #require(addresses.first { $0.id == pair.absorbedOffice.id })
            for (what, before, after) in [
                ("contact", (pair.contact.version, pair.contact.updatedAt), (contact.version, contact.updatedAt)),
                ("address", (pair.absorbedOffice.version, pair.absorbedOffice.updatedAt), (moved.version, moved.updatedAt)),
            ] {
                #expect(after.0 == before.0 + 1, "\(what)")
                #expect(after.1 > before.1, "\(what)")
            }
            #expect(contact.updatedBy.name == "merger" && moved.updatedBy.name == "merger")
            #expect(contact.createdBy == pair.contact.createdBy && moved.createdAt == pair.absorbedOffice.createdAt)
            #expect(addresses.first { $0.id == pair.keptOffice.id } == pair.keptOffice)
        }
    }

    /// Every other moved record changed too: activities, sales cases and projects are stamped
    /// (version +1), files and links get their updated at and by; each record that keeps a history
    /// (invoices included, whose issued text stays) has an `updated` entry saying its customer went
    /// from the absorbed one to the kept one, by the merger, in its history and in the change feed.
    @Test func everyMovedRecordIsStampedAndItsHistoryAndTheFeedSayItMoved() async throws {
        try await withServer { server, client in
            let pair = try await Self.mergedByAnotherUser(server, client)

            let activities = try await client.activities.list(customerID: pair.kept.id)
            let note = try #require((activities.planned + activities.done).first { $0.id == pair.note.id })
            let salesCase = try await client.projects.get(id: pair.salesCase.id)
            let project = try await client.projects.get(id: pair.project.id)
            for (what, before, after) in [
                ("note", (pair.note.version, pair.note.updatedAt, pair.note.createdBy), (note.version, note.updatedAt, note.updatedBy)),
                ("sales case", (pair.salesCase.version, pair.salesCase.updatedAt, pair.salesCase.createdBy),
                 (salesCase.version, salesCase.updatedAt, salesCase.updatedBy)),
                ("project", (pair.project.version, pair.project.updatedAt, pair.project.createdBy),
                 (project.version, project.updatedAt, project.updatedBy)),
            ] {
                #expect(after.0 == before.0 + 1 && after.1 > before.1 && after.2.name == "merger", "\(what)")
            }
            let files = try await client.files.list(customerID: pair.kept.id)
            let file = try #require(files.files.first), link = try #require(files.links.first)
            #expect(file.updatedAt > pair.file.updatedAt && file.updatedBy.name == "merger")
            #expect(link.updatedAt > pair.link.updatedAt && link.updatedBy.name == "merger")
            #expect(file.createdAt == pair.file.createdAt && link.createdBy == pair.link.createdBy)
            let invoice = try await client.invoices.get(id: pair.invoice.id)
            #expect(invoice.issuedAt == pair.invoice.issuedAt && invoice.customerName == pair.invoice.customerName)

            let moved: [(HistoryEntry.Entity, Int64)] = [
                (.address, pair.absorbedOffice.id), (.contact, pair.contact.id), (.activity, pair.note.id),
                (.project, pair.salesCase.id), (.project, pair.project.id), (.invoice, pair.invoice.id),
            ]
            let move = [FieldChange(field: "customerId", oldValue: String(pair.absorbed.id), newValue: String(pair.kept.id))]
            for (entity, id) in moved {
                let last = try #require(try await client.history.list(entity, id: id).last, "\(entity) \(id)")
                #expect(last.action == "updated" && last.by.name == "merger" && last.customerId == pair.kept.id, "\(entity) \(id)")
                #expect(last.changes == move, "\(entity) \(id)")
            }
            // The feed is the history: each move is an event there too.
            let keptCustomerEvent = try #require(try await client.history.list(.customer, id: pair.kept.id).last).id
            var events = client.changes.watch(after: 0).makeAsyncIterator()
            var seen: [ChangeEvent] = []
            while seen.last.map({ $0.sequence < keptCustomerEvent }) ?? true {
                seen.append(try #require(try await events.next()))
            }
            for (entity, id) in moved {
                #expect(seen.contains { $0.kind == entity && $0.entityId == id && $0.action == "updated"
                    && $0.changes.map(\.field) == ["customerId"] }, "\(entity) \(id)")
            }
        }
    }

    /// A kept customer without a head office takes the absorbed one's, and its history and the
    /// feed say so as for every other head office change (`headOfficeSet`), so a copy that keeps the
    /// head office from the feed follows it (spec27: contrib/conformance/replica.py found none).
    @Test func aKeptCustomerTakingTheAbsorbedHeadOfficeRecordsHeadOfficeSet() async throws {
        try await withServer { _, client in
            let kept = try await client.customers.create(CustomerFields(name: "Officeless Oy"))
            let absorbed = try await client.customers.create(CustomerFields(name: "Officeless Ab"))
            let office = try await client.addresses.add(customerID: absorbed.id, AddressFields(city: "Turku", country: "FI"))
            _ = try await client.customers.merge(keep: kept.id, absorb: absorbed.id)

            #expect(try await client.customers.get(id: kept.id).headOffice?.id == office.id)
            let set = try await client.history.list(.customer, id: kept.id).filter { $0.action == "headOfficeSet" }
            #expect(set.map(\.changes) == [[FieldChange(field: "headOffice", oldValue: nil, newValue: String(office.id))]])
        }
    }

    @Test func aRetriedKeyedMergeGetsTheSameAnswer() async throws {
        try await withServer { _, client in
            let kept = try await client.customers.create(CustomerFields(name: "Keyed Oy"))
            let absorbed = try await client.customers.create(CustomerFields(name: "Keyed Ab", email: "hi@keyed.fi"))
            var keyed = CallOptions()
            keyed.idempotencyKey = "merge-keyed-1"
            let first = try await client.customers.merge(keep: kept.id, absorb: absorbed.id, options: keyed)
            let again = try await client.customers.merge(keep: kept.id, absorb: absorbed.id, options: keyed)
            #expect(again == first)
            #expect(try await client.history.list(.customer, id: kept.id).filter { $0.action == "merged" }.count == 1)
        }
    }

    /// customerctl offers, and the API documents, the fields the store fills.
    @Test func theAPIsFillableFieldsAreTheStoresOwn() {
        #expect(MergeCustomersRequest.fillableFields == CustomerStore.mergeFillableFields)
    }
}
