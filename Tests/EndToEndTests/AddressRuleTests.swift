import CustomerClient
import Foundation
import Testing

/// BRIEF.md, Addresses: every rule, each by name, through a real server.
@Suite struct AddressRuleTests {
    static let visiting = AddressFields(street1: "Keilalahdentie 4", postalCode: "02150", city: "Espoo", country: "FI")
    static let postal = AddressFields(street1: "PL 226", postalCode: "00045", city: "Nokia Group", country: "FI", kind: .postal)

    @Test func theFirstAddressBecomesTheHeadOffice() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy", country: "FI"))
            #expect(try await client.customers.get(id: customer.id).headOffice == nil)
            let first = try await client.addresses.add(customerID: customer.id, Self.visiting)
            #expect(first.isHeadOffice)
            let second = try await client.addresses.add(customerID: customer.id, Self.postal)
            #expect(!second.isHeadOffice)
            #expect(try await client.customers.get(id: customer.id).headOffice?.id == first.id)
            #expect(try await client.addresses.list(customerID: customer.id).map(\.id) == [first.id, second.id])
        }
    }

    @Test func theHeadOfficeCanBeMovedToAnotherAddress() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let first = try await client.addresses.add(customerID: customer.id, Self.visiting)
            let second = try await client.addresses.add(customerID: customer.id, Self.postal)
            let moved = try await client.addresses.setHeadOffice(id: second.id)
            #expect(moved.map(\.id) == [second.id, first.id])
            #expect(moved.filter(\.isHeadOffice).map(\.id) == [second.id])
            #expect(try await client.customers.get(id: customer.id).headOffice?.id == second.id)
        }
    }

    /// The head-office flag is shown on both addresses, and the brief keeps updated at and by per
    /// address: a move stamps the two whose flag changed, and the history and change feed say so.
    @Test func movingTheHeadOfficeStampsBothAddressesAsUpdatedByTheMove() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let first = try await client.addresses.add(customerID: customer.id, Self.visiting)
            let second = try await client.addresses.add(customerID: customer.id, Self.postal)
            let third = try await client.addresses.add(customerID: customer.id, AddressFields(city: "Tampere", country: "FI"))
            let moverUID: UInt32 = getuid() == 4252 ? 4253 : 4252
            _ = try await client.users.add(uid: moverUID, name: "mover", isAdministrator: true)
            let mover = server.client(asUID: moverUID)
            defer { mover.close() }
            let feedStart = try await client.changes.bounds().last

            let moved = try await mover.addresses.setHeadOffice(id: second.id)
            for (before, flag) in [(first, false), (second, true)] {
                let after = try #require(moved.first { $0.id == before.id })
                #expect(after.isHeadOffice == flag)
                #expect(after.version == before.version + 1, "address \(before.id)")
                #expect(after.updatedAt > before.updatedAt, "address \(before.id)")
                #expect(after.updatedBy.name == "mover", "address \(before.id)")
                #expect(after.createdAt == before.createdAt && after.createdBy == before.createdBy)
                let last = try #require(try await client.history.list(.address, id: before.id).last)
                #expect(last.action == "updated" && last.by.name == "mover")
                #expect(last.changes == [FieldChange(field: "isHeadOffice", oldValue: String(!flag), newValue: String(flag))])
            }
            #expect(moved.first { $0.id == third.id } == third)
            var feed = client.changes.watch(after: feedStart, kinds: [.address]).makeAsyncIterator()
            let events = [try #require(try await feed.next()), try #require(try await feed.next())]
            #expect(Set(events.map(\.entityId)) == [first.id, second.id])
            #expect(events.allSatisfy { $0.action == "updated" && $0.changes.map(\.field) == ["isHeadOffice"] })

            // Setting the head office it already is changes neither address.
            #expect(try await mover.addresses.setHeadOffice(id: second.id) == moved)
        }
    }

    @Test func removingTheHeadOfficeWhileOtherAddressesExistIsRefused() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let first = try await client.addresses.add(customerID: customer.id, Self.visiting)
            let second = try await client.addresses.add(customerID: customer.id, Self.postal)
            let error = await #expect(throws: RPCError.self) { try await client.addresses.remove(id: first.id) }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message.range(of: "move the head office") != nil)
            #expect(try await client.addresses.list(customerID: customer.id).count == 2)

            // Moving it first makes the removal possible; removing the last address leaves none.
            try await client.addresses.setHeadOffice(id: second.id)
            #expect(try await client.addresses.remove(id: first.id).map(\.id) == [second.id])
            #expect(try await client.addresses.remove(id: second.id).isEmpty)
            #expect(try await client.customers.get(id: customer.id).headOffice == nil)
        }
    }

    @Test func concurrentHeadOfficeMovesNeverLeaveTwoOrNone() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Contended"))
            var added: [Int64] = []
            for index in 0..<4 {
                added.append(try await client.addresses.add(customerID: customer.id, AddressFields(city: "City \(index)", country: "NL")).id)
            }
            let ids = added
            let clients = (0..<4).map { _ in server.client() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, other) in clients.enumerated() {
                    group.addTask {
                        for round in 0..<15 {
                            try await other.addresses.setHeadOffice(id: ids[(index + round) % ids.count])
                        }
                    }
                }
                try await group.waitForAll()
            }
            clients.forEach { $0.close() }
            let addresses = try await client.addresses.list(customerID: customer.id)
            #expect(addresses.filter(\.isHeadOffice).count == 1)
            #expect(try await client.customers.get(id: customer.id).headOffice?.id == addresses.first?.id)
        }
    }

    @Test func addressesKeepCreatedAndUpdatedAtAndBy() async throws {
        try await withServer { _, client in
            let me = try await client.users.whoAmI()
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let address = try await client.addresses.add(customerID: customer.id, Self.visiting)
            #expect(address.createdBy.id == me.id)
            #expect(address.createdAt == address.updatedAt)
            let updated = try await client.addresses.update(id: address.id, AddressFields(street2: "2nd floor"), expectedVersion: 1)
            #expect(updated.street == ["Keilalahdentie 4", "2nd floor"])
            #expect(updated.createdAt == address.createdAt)
            #expect(updated.updatedAt > address.updatedAt)
            #expect(updated.updatedBy.id == me.id)
            #expect(updated.version == 2)
            let stale = await #expect(throws: RPCError.self) {
                try await client.addresses.update(id: address.id, AddressFields(city: "Helsinki"), expectedVersion: 1)
            }
            #expect(stale?.code == .aborted)
        }
    }

    @Test func anInvalidAddressIsRefusedByFieldAndNothingIsWritten() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let error = await #expect(throws: RPCError.self) {
                try await client.addresses.add(customerID: customer.id, AddressFields(city: "Nowhere", country: "XX"))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.details.map(\.field) == ["country"])
            #expect(try await client.addresses.list(customerID: customer.id).isEmpty)
        }
    }

    @Test func invoicingReadinessNamesWhatIsMissing() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy", country: "FI"))
            let empty = try await client.addresses.invoicingReadiness(customerID: customer.id)
            #expect(!empty.ready)
            #expect(Set(empty.missing) == ["headOffice", "vatNumber"])
            _ = try await client.addresses.add(customerID: customer.id, Self.visiting)
            #expect(try await client.addresses.invoicingReadiness(customerID: customer.id).missing == ["vatNumber"])
            _ = try await client.customers.update(id: customer.id, CustomerFields(vatNumber: "FI01120389"))
            let ready = try await client.addresses.invoicingReadiness(customerID: customer.id)
            #expect(ready.ready)
            #expect(ready.missing.isEmpty)
            #expect(ready.headOffice?.city == "Espoo")
            #expect(ready.vatNumber == "FI01120389")
        }
    }
}
