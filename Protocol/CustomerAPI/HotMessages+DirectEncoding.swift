import BinaryCoding

// The hot messages write their own fields (see `DirectEncodable`): a customer as get, create and
// update answer it, a page of them, the card's contact-information tab, and the requests a client
// sends most (get, list, create, update), whose `Codable` path was a tenth of a client's
// instructions per get. Each writes its fields in the order of its `CodingKeys`, which is the
// order its synthesized `encode(to:)` writes them; HotMessageEncodingTests compares the bytes of
// both paths for every message here.

extension UserRef: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.id, id)
        try writer.write(CodingKeys.name, name)
    }
}

// A listed customer is also written straight from its database row, by the server's
// `CustomerListingRow.encodeCustomer`: a field added here goes there too.
extension Customer: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.id, id)
        try writer.write(CodingKeys.number, number)
        try writer.write(CodingKeys.name, name)
        try writer.write(CodingKeys.accountManager, accountManager)
        try writer.write(CodingKeys.description, description)
        try writer.write(CodingKeys.vatNumber, vatNumber)
        try writer.write(CodingKeys.country, country)
        try writer.write(CodingKeys.industry, industry)
        try writer.write(CodingKeys.email, email)
        try writer.write(CodingKeys.website, website)
        try writer.write(CodingKeys.phone, phone)
        try writer.write(CodingKeys.active, active)
        try writer.write(CodingKeys.version, version)
        try writer.write(CodingKeys.createdAt, createdAt)
        try writer.write(CodingKeys.createdBy, createdBy)
        try writer.write(CodingKeys.updatedAt, updatedAt)
        try writer.write(CodingKeys.updatedBy, updatedBy)
        try writer.write(CodingKeys.headOffice, headOffice)
        try writer.write(CodingKeys.businessId, businessId)
        try writer.write(CodingKeys.registryStatus, registryStatus)
        try writer.write(CodingKeys.registryCheckedAt, registryCheckedAt)
        try writer.write(CodingKeys.deleted, deleted)
    }
}

extension ListCustomersResponse: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.customers, customers)
        try writer.write(CodingKeys.nextPageToken, nextPageToken)
    }
}

// The card's addresses, contacts and activities are also written straight from the store's
// records, by the server's StoredContactInformation+Encoding.swift: a field added here goes there too.
extension Address: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.id, id)
        try writer.write(CodingKeys.customerId, customerId)
        try writer.write(CodingKeys.street, street)
        try writer.write(CodingKeys.postalCode, postalCode)
        try writer.write(CodingKeys.city, city)
        try writer.write(CodingKeys.region, region)
        try writer.write(CodingKeys.country, country)
        try writer.write(CodingKeys.kind, kind)
        try writer.write(CodingKeys.isHeadOffice, isHeadOffice)
        try writer.write(CodingKeys.version, version)
        try writer.write(CodingKeys.createdAt, createdAt)
        try writer.write(CodingKeys.createdBy, createdBy)
        try writer.write(CodingKeys.updatedAt, updatedAt)
        try writer.write(CodingKeys.updatedBy, updatedBy)
    }
}

extension ContactRef: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.id, id)
        try writer.write(CodingKeys.name, name)
        try writer.write(CodingKeys.deleted, deleted)
    }
}

extension Contact: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.id, id)
        try writer.write(CodingKeys.customerId, customerId)
        try writer.write(CodingKeys.firstName, firstName)
        try writer.write(CodingKeys.lastName, lastName)
        try writer.write(CodingKeys.title, title)
        try writer.write(CodingKeys.email, email)
        try writer.write(CodingKeys.phone, phone)
        try writer.write(CodingKeys.mobile, mobile)
        try writer.write(CodingKeys.language, language)
        try writer.write(CodingKeys.notes, notes)
        try writer.write(CodingKeys.keywords, keywords)
        try writer.write(CodingKeys.roles, roles)
        try writer.write(CodingKeys.active, active)
        try writer.write(CodingKeys.deleted, deleted)
        try writer.write(CodingKeys.version, version)
        try writer.write(CodingKeys.createdAt, createdAt)
        try writer.write(CodingKeys.createdBy, createdBy)
        try writer.write(CodingKeys.updatedAt, updatedAt)
        try writer.write(CodingKeys.updatedBy, updatedBy)
    }
}

extension Activity: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.id, id)
        try writer.write(CodingKeys.customerId, customerId)
        try writer.write(CodingKeys.kind, kind)
        try writer.write(CodingKeys.subject, subject)
        try writer.write(CodingKeys.dueDate, dueDate)
        try writer.write(CodingKeys.startsAt, startsAt)
        try writer.write(CodingKeys.endsAt, endsAt)
        try writer.write(CodingKeys.assignee, assignee)
        try writer.write(CodingKeys.contact, contact)
        try writer.write(CodingKeys.done, done)
        try writer.write(CodingKeys.completedAt, completedAt)
        try writer.write(CodingKeys.completedBy, completedBy)
        try writer.write(CodingKeys.projectId, projectId)
        try writer.write(CodingKeys.projectName, projectName)
        try writer.write(CodingKeys.version, version)
        try writer.write(CodingKeys.createdAt, createdAt)
        try writer.write(CodingKeys.createdBy, createdBy)
        try writer.write(CodingKeys.updatedAt, updatedAt)
        try writer.write(CodingKeys.updatedBy, updatedBy)
        try writer.write(CodingKeys.timeZone, timeZone)
    }
}

extension ActivityList: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.planned, planned)
        try writer.write(CodingKeys.done, done)
    }
}

extension Segment: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.id, id)
        try writer.write(CodingKeys.parentId, parentId)
        try writer.write(CodingKeys.name, name)
        try writer.write(CodingKeys.path, path)
        try writer.write(CodingKeys.customerCount, customerCount)
    }
}

extension ContactInformation: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.addresses, addresses)
        try writer.write(CodingKeys.contacts, contacts)
        try writer.write(CodingKeys.activities, activities)
        try writer.write(CodingKeys.segments, segments)
    }
}

extension CustomerCard: DirectEncodable {
    /// The customer and the contact-information tab write themselves; the other tabs, asked for
    /// less often, go through their `Codable`.
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.customer, customer)
        if let tab = contactInformation {
            try writer.writeMessage(CodingKeys.contactInformation) { try tab.encodeFields(to: &$0) }
        }
        try Self.encodeTabs(
            to: &writer, salesAndProjects: salesAndProjects, collaboration: collaboration, financial: financial,
            settings: settings, files: files, financialHidden: financialHidden)
    }

    /// The card's fields after its contact-information tab, for a writer that wrote the customer
    /// and that tab itself (the server writes both from the store's records, so the tab's
    /// addresses, contacts and activities are never built as messages). The customer, the tab,
    /// then these, are the bytes of the card that holds them all.
    package static func encodeTabs(
        to writer: inout BinaryWriter,
        salesAndProjects: ProjectList?, collaboration: CollaborationTab?, financial: FinancialTab?,
        settings: SettingsTab?, files: FilesTab?, financialHidden: Bool?
    ) throws {
        try writer.write(CodingKeys.salesAndProjects, encoding: salesAndProjects)
        try writer.write(CodingKeys.collaboration, encoding: collaboration)
        try writer.write(CodingKeys.financial, encoding: financial)
        try writer.write(CodingKeys.settings, encoding: settings)
        try writer.write(CodingKeys.files, encoding: files)
        try writer.write(CodingKeys.financialHidden, financialHidden)
    }
}

// MARK: Requests

extension GetCustomerRequest: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.id, id)
        try writer.write(CodingKeys.number, number)
    }
}

// The card's request: each card a client asks for went through `Codable`'s keyed containers and
// its array of tabs (~6 700 instructions a card in customer-bench's client, docs/performance/HISTORY.md "card16").
extension GetCustomerCardRequest: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.customerId, customerId)
        try writer.write(CodingKeys.tabs, tabs)
        try writer.write(CodingKeys.from, from)
        try writer.write(CodingKeys.to, to)
    }
}

extension CustomerQuery: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.status, status)
        try writer.write(CodingKeys.search, search)
        try writer.write(CodingKeys.country, country)
        try writer.write(CodingKeys.accountManager, accountManager)
        try writer.write(CodingKeys.changedSince, changedSince)
        try writer.write(CodingKeys.order, order)
    }
}

extension ListCustomersRequest: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.query, query)
        try writer.write(CodingKeys.limit, limit)
        try writer.write(CodingKeys.pageToken, pageToken)
    }
}

extension CustomerFields: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.number, number)
        try writer.write(CodingKeys.name, name)
        try writer.write(CodingKeys.accountManager, accountManager)
        try writer.write(CodingKeys.description, description)
        try writer.write(CodingKeys.vatNumber, vatNumber)
        try writer.write(CodingKeys.country, country)
        try writer.write(CodingKeys.industry, industry)
        try writer.write(CodingKeys.email, email)
        try writer.write(CodingKeys.website, website)
        try writer.write(CodingKeys.phone, phone)
    }
}

extension CreateCustomerRequest: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.fields, fields)
        try writer.write(CodingKeys.allowDuplicateVat, allowDuplicateVat)
    }
}

extension UpdateCustomerRequest: DirectEncodable {
    public func encodeFields(to writer: inout BinaryWriter) throws {
        try writer.write(CodingKeys.id, id)
        try writer.write(CodingKeys.expectedVersion, expectedVersion)
        try writer.write(CodingKeys.fields, fields)
        try writer.write(CodingKeys.allowDuplicateVat, allowDuplicateVat)
    }
}
