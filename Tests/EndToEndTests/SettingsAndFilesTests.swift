import CustomerClient
import Foundation
import Hashing
import TestSupport
import Testing

/// Issue 5 through a real server: customer settings, segments, industries, files and links, the card.
@Suite struct SettingsAndFilesTests {
    @Test func invoicingSettingsAreValidatedAndPartial() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let defaults = try await client.settings.get(customerID: customer.id)
            #expect(defaults.version == 0)
            #expect(defaults.invoiceChannel == nil)
            let set = try await client.settings.update(
                customerID: customer.id,
                CustomerSettingsFields(invoiceChannel: .eInvoice, eInvoiceAddress: "003701120389", eInvoiceOperator: "003721291126",
                                       paymentTermDays: 21, currency: "eur", vatRate: Decimal(string: "25.5"), invoiceLanguage: "FI"))
            #expect(set.version == 1)
            #expect(set.currency == "EUR")
            #expect(set.vatRate == Decimal(string: "25.5"))
            #expect(set.invoiceLanguage == "fi")
            let partial = try await client.settings.update(customerID: customer.id, CustomerSettingsFields(reference: "PO-77"), expectedVersion: 1)
            #expect(partial.paymentTermDays == 21)
            #expect(partial.reference == "PO-77")
            let invalid = await #expect(throws: RPCError.self) {
                try await client.settings.update(customerID: customer.id, CustomerSettingsFields(invoiceChannel: .email, paymentTermDays: 400, currency: "XYZ"))
            }
            #expect(invalid?.code == .invalidArgument)
            let invalidFields = Set(invalid?.details.map(\.field) ?? [])
            #expect(invalidFields.isSuperset(of: ["paymentTermDays", "currency"]))
            #expect(try await client.settings.get(customerID: customer.id) == partial)
        }
    }

    @Test func segmentsFormATreeAndTheCardShowsTheirPaths() async throws {
        try await withServer { _, client in
            let industry = try await client.settings.createSegment("Industry")
            let manufacturing = try await client.settings.createSegment("Manufacturing", parentID: industry.id)
            let machinery = try await client.settings.createSegment("Machinery", parentID: manufacturing.id)
            let nordics = try await client.settings.createSegment("Nordics")
            #expect(machinery.pathText == "Industry / Manufacturing / Machinery")
            let cycle = await #expect(throws: RPCError.self) {
                try await client.settings.updateSegment(UpdateSegmentRequest(id: industry.id, parentId: machinery.id))
            }
            #expect(cycle?.code == .failedPrecondition)

            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let chosen = try await client.settings.setCustomerSegments(customerID: customer.id, [machinery.id, nordics.id])
            #expect(chosen.map(\.pathText) == ["Industry / Manufacturing / Machinery", "Nordics"])
            let card = try await client.cards.get(customerID: customer.id, tabs: [.settings])
            #expect(card.settings?.segments.map(\.pathText) == ["Industry / Manufacturing / Machinery", "Nordics"])
            #expect(card.contactInformation == nil)
            #expect(card.financial == nil)
        }
    }

    /// A rename and a move in one UpdateSegment are one write: a refused move (a cycle, a missing
    /// parent, `parentId` with `moveToRoot`) leaves the name as it was. Sent without an idempotency
    /// key, as an outside client sends it (the typed client sends one, and a keyed write already ran
    /// in one transaction); the rename used to be committed before the move was refused.
    @Test func aRefusedMoveRenamesNothing() async throws {
        try await withServer { _, client in
            let industry = try await client.settings.createSegment("Industry")
            let machinery = try await client.settings.createSegment("Machinery", parentID: industry.id)
            let before = try await client.settings.segments()
            let method = SettingsService.updateSegment.descriptor
            for (request, code, field) in [
                (UpdateSegmentRequest(id: industry.id, name: "Renamed", parentId: machinery.id), StatusCode.failedPrecondition,
                 "parentId"),
                (UpdateSegmentRequest(id: industry.id, name: "Renamed", parentId: 999), .invalidArgument, "parentId"),
                (UpdateSegmentRequest(id: industry.id, name: "Renamed", parentId: machinery.id, moveToRoot: true),
                 .invalidArgument, "moveToRoot"),
            ] {
                let error = await outcome { _ = try await client.channel.unary(method, request, as: Segment.self) }
                #expect(error?.code == code, "\(String(describing: error))")
                #expect(error?.details.map(\.field) == [field])
                #expect(try await client.settings.segments() == before)
            }
            let both = try await client.channel.unary(
                method, UpdateSegmentRequest(id: machinery.id, name: "Tools", moveToRoot: true), as: Segment.self)
            #expect(both.name == "Tools" && both.parentId == nil)
        }
    }

    @Test func industriesAreAManagedList() async throws {
        try await withServer { _, client in
            let unknown = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Acme Oy", industry: "Shipping"))
            }
            #expect(unknown?.details.map(\.field) == ["industry"])
            _ = try await client.settings.createIndustry("Shipping")
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy", industry: "shipping"))
            #expect(customer.industry == "Shipping")
            _ = try await client.settings.renameIndustry("Shipping", to: "Maritime")
            #expect(try await client.customers.get(id: customer.id).industry == "Maritime")
            #expect(try await client.settings.industries().map(\.customerCount) == [1])
        }
    }

    @Test func aTwentyMebibyteUploadInterruptedHalfwayLeavesNothingAndACompleteOneIsChecked() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let project = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "Website"))
            let content = Self.pseudoRandomBytes(count: 20 * 1024 * 1024)
            var hasher = SHA256()
            content.withUnsafeBytes { hasher.update($0) }
            let header = UploadFileMessage.Header(
                customerId: customer.id, projectId: project.id, name: "design.bin", size: Int64(content.count), sha256: hasher.finalizeHex())

            // The client gives up half-way: the server sees the call cancelled and keeps nothing.
            struct StopHalfWay: Error {}
            await #expect(throws: (any Error).self) {
                try await client.files.upload(header) { send in
                    var offset = 0
                    while offset < content.count / 2 {
                        try await send(content.subdata(in: offset..<(offset + Files.chunkSize)))
                        offset += Files.chunkSize
                    }
                    throw StopHalfWay()
                }
            }
            #expect(try await client.files.list(customerID: customer.id).files.isEmpty)
            // The server learns of the cancellation asynchronously; wait for it to clean up.
            #expect(try await Self.eventuallyEmpty(server.databasePath))

            // A wrong hash is refused and keeps nothing either.
            var wrong = header
            wrong.sha256 = String(repeating: "0", count: 64)
            let mismatch = await #expect(throws: RPCError.self) {
                try await client.files.upload(wrong) { send in
                    var offset = 0
                    while offset < content.count {
                        try await send(content.subdata(in: offset..<min(offset + Files.chunkSize, content.count)))
                        offset += Files.chunkSize
                    }
                }
            }
            #expect(mismatch?.code == .invalidArgument)
            #expect(try Self.blobsAndTemporaryFiles(beside: server.databasePath).isEmpty)

            let stored = try await client.files.upload(
                customerID: customer.id, projectID: project.id, name: "design.bin", data: content)
            #expect(stored.size == Int64(content.count))
            #expect(stored.sha256 == header.sha256)
            #expect(stored.projectName == "Website")
            var downloaded = Data()
            for try await chunk in client.files.download(id: stored.id) { downloaded.append(chunk.data) }
            #expect(downloaded == content)

            let link = try await client.files.addLink(customerID: customer.id, url: "wiki.example.com/acme", title: "Wiki")
            #expect(link.url == "https://wiki.example.com/acme")
            let card = try await client.cards.get(customerID: customer.id, tabs: [.files])
            #expect(card.files?.files.map(\.name) == ["design.bin"])
            #expect(card.files?.links.map(\.title) == ["Wiki"])
            let renamed = try await client.files.rename(id: stored.id, to: "design-v2.bin")
            #expect(renamed.name == "design-v2.bin")
            #expect(try await client.files.remove(id: stored.id).files.isEmpty)
            #expect(try Self.blobsAndTemporaryFiles(beside: server.databasePath).isEmpty)
        }
    }

    @Test func theWholeCardComesInOneCall() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            _ = try await client.addresses.add(customerID: customer.id, AddressFields(city: "Espoo", country: "FI"))
            let project = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "Website", currency: "EUR"))
            _ = try await client.projects.addNote(projectID: project.id, "Started")
            _ = try await client.projects.setForecast(SetForecastRequest(projectId: project.id, month: "2027-03", revenue: 100, cost: 40, billing: 100, hours: 10))
            let card = try await client.cards.get(customerID: customer.id)
            #expect(card.customer.headOffice?.city == "Espoo")
            #expect(card.contactInformation?.addresses.count == 1)
            #expect(card.salesAndProjects?.projects.map(\.name) == ["Website"])
            #expect(card.collaboration?.items.count == 1)
            #expect(card.financial?.currencies.first?.total.margin == 60)
            #expect(card.settings?.settings.customerId == customer.id)
            #expect(card.files?.files.isEmpty == true)
        }
    }

    /// Fast, repeatable test content (xorshift64): every byte differs from its neighbours.
    static func pseudoRandomBytes(count: Int) -> Data {
        var data = Data(count: count)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        data.withUnsafeMutableBytes { buffer in
            for index in 0..<(count / 8) {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                buffer.storeBytes(of: state, toByteOffset: index * 8, as: UInt64.self)
            }
        }
        return data
    }

    /// Polls until no blob or unfinished upload is left (up to the tests' wait limit: a bound on
    /// waiting, not a speed requirement; 300 polls, 30 s, were within a busy machine's delays).
    static func eventuallyEmpty(_ databasePath: String) async throws -> Bool {
        let giveUp = ContinuousClock.now + .seconds(testWaitLimit)
        while ContinuousClock.now < giveUp {
            if try blobsAndTemporaryFiles(beside: databasePath).isEmpty { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try blobsAndTemporaryFiles(beside: databasePath).isEmpty
    }

    /// Every regular file under the database's file store (blobs and unfinished uploads).
    static func blobsAndTemporaryFiles(beside databasePath: String) throws -> [String] {
        let root = URL(fileURLWithPath: databasePath + ".files")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        return walker.compactMap { item in
            guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else {
                return nil
            }
            return url.path
        }
    }
}
