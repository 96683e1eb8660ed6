import BinaryCoding
import Foundation

// The hot messages read their own fields (see `DirectDecodable`): a customer as get, create and
// update answer it, a page of them, the card with its contact-information tab, and the get, list,
// card and create requests. Each reads its fields in the order of its `CodingKeys` cases, which is
// the order its synthesized `init(from:)` reads them, so a malformed message fails on the
// same field with the same kind of error; DirectDecodingTests compare both paths for every message
// here, and the `direct` fuzz target on random bytes. A user reference that repeats an earlier one
// of the same message byte for byte (most records are changed by whoever created them) is that
// value again, not read twice (`decode(_:_:sameAs:decodedAs:)`).

extension UserRef: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        id = try reader.decode(Int64.self, CodingKeys.id)
        name = try reader.decode(String.self, CodingKeys.name)
    }
}

extension Customer: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        id = try reader.decode(Int64.self, CodingKeys.id)
        number = try reader.decode(Int64.self, CodingKeys.number)
        name = try reader.decode(String.self, CodingKeys.name)
        accountManager = try reader.decodeIfPresent(UserRef.self, CodingKeys.accountManager)
        description = try reader.decodeIfPresent(String.self, CodingKeys.description)
        vatNumber = try reader.decodeIfPresent(String.self, CodingKeys.vatNumber)
        country = try reader.decodeIfPresent(String.self, CodingKeys.country)
        industry = try reader.decodeIfPresent(String.self, CodingKeys.industry)
        email = try reader.decodeIfPresent(String.self, CodingKeys.email)
        website = try reader.decodeIfPresent(String.self, CodingKeys.website)
        phone = try reader.decodeIfPresent(String.self, CodingKeys.phone)
        active = try reader.decode(Bool.self, CodingKeys.active)
        version = try reader.decode(Int64.self, CodingKeys.version)
        createdAt = try reader.decode(Date.self, CodingKeys.createdAt)
        createdBy = try reader.decode(UserRef.self, CodingKeys.createdBy, sameAs: CodingKeys.accountManager,
                                      decodedAs: accountManager)
        updatedAt = try reader.decode(Date.self, CodingKeys.updatedAt)
        updatedBy = try reader.decode(UserRef.self, CodingKeys.updatedBy, sameAs: CodingKeys.createdBy, decodedAs: createdBy)
        headOffice = try reader.decodeIfPresent(Address.self, CodingKeys.headOffice)
        businessId = try reader.decodeIfPresent(String.self, CodingKeys.businessId)
        registryStatus = try reader.decodeIfPresent(String.self, CodingKeys.registryStatus)
        registryCheckedAt = try reader.decodeIfPresent(Date.self, CodingKeys.registryCheckedAt)
        // Declared after `active`, but its key is the last case (22), and that is where the
        // synthesized `init(from:)` reads it.
        deleted = try reader.decodeIfPresent(Bool.self, CodingKeys.deleted)
    }
}

extension ListCustomersResponse: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        customers = try reader.decode([Customer].self, CodingKeys.customers)
        nextPageToken = try reader.decodeIfPresent(String.self, CodingKeys.nextPageToken)
    }
}

extension Address: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        id = try reader.decode(Int64.self, CodingKeys.id)
        customerId = try reader.decode(Int64.self, CodingKeys.customerId)
        street = try reader.decode([String].self, CodingKeys.street)
        postalCode = try reader.decodeIfPresent(String.self, CodingKeys.postalCode)
        city = try reader.decodeIfPresent(String.self, CodingKeys.city)
        region = try reader.decodeIfPresent(String.self, CodingKeys.region)
        country = try reader.decode(String.self, CodingKeys.country)
        kind = try reader.decode(Kind.self, CodingKeys.kind)
        isHeadOffice = try reader.decode(Bool.self, CodingKeys.isHeadOffice)
        version = try reader.decode(Int64.self, CodingKeys.version)
        createdAt = try reader.decode(Date.self, CodingKeys.createdAt)
        createdBy = try reader.decode(UserRef.self, CodingKeys.createdBy)
        updatedAt = try reader.decode(Date.self, CodingKeys.updatedAt)
        updatedBy = try reader.decode(UserRef.self, CodingKeys.updatedBy, sameAs: CodingKeys.createdBy, decodedAs: createdBy)
    }
}

extension ContactRef: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        id = try reader.decode(Int64.self, CodingKeys.id)
        name = try reader.decodeIfPresent(String.self, CodingKeys.name)
        deleted = try reader.decode(Bool.self, CodingKeys.deleted)
    }
}

extension Contact: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        id = try reader.decode(Int64.self, CodingKeys.id)
        customerId = try reader.decode(Int64.self, CodingKeys.customerId)
        firstName = try reader.decodeIfPresent(String.self, CodingKeys.firstName)
        lastName = try reader.decodeIfPresent(String.self, CodingKeys.lastName)
        title = try reader.decodeIfPresent(String.self, CodingKeys.title)
        email = try reader.decodeIfPresent(String.self, CodingKeys.email)
        phone = try reader.decodeIfPresent(String.self, CodingKeys.phone)
        mobile = try reader.decodeIfPresent(String.self, CodingKeys.mobile)
        language = try reader.decodeIfPresent(String.self, CodingKeys.language)
        notes = try reader.decodeIfPresent(String.self, CodingKeys.notes)
        keywords = try reader.decode([String].self, CodingKeys.keywords)
        roles = try reader.decode([String].self, CodingKeys.roles)
        active = try reader.decode(Bool.self, CodingKeys.active)
        deleted = try reader.decode(Bool.self, CodingKeys.deleted)
        version = try reader.decode(Int64.self, CodingKeys.version)
        createdAt = try reader.decode(Date.self, CodingKeys.createdAt)
        createdBy = try reader.decode(UserRef.self, CodingKeys.createdBy)
        updatedAt = try reader.decode(Date.self, CodingKeys.updatedAt)
        updatedBy = try reader.decode(UserRef.self, CodingKeys.updatedBy, sameAs: CodingKeys.createdBy, decodedAs: createdBy)
    }
}

extension Activity: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        id = try reader.decode(Int64.self, CodingKeys.id)
        customerId = try reader.decode(Int64.self, CodingKeys.customerId)
        kind = try reader.decode(Kind.self, CodingKeys.kind)
        subject = try reader.decode(String.self, CodingKeys.subject)
        dueDate = try reader.decodeIfPresent(Date.self, CodingKeys.dueDate)
        startsAt = try reader.decodeIfPresent(Date.self, CodingKeys.startsAt)
        endsAt = try reader.decodeIfPresent(Date.self, CodingKeys.endsAt)
        assignee = try reader.decodeIfPresent(UserRef.self, CodingKeys.assignee)
        contact = try reader.decodeIfPresent(ContactRef.self, CodingKeys.contact)
        done = try reader.decode(Bool.self, CodingKeys.done)
        completedAt = try reader.decodeIfPresent(Date.self, CodingKeys.completedAt)
        completedBy = try reader.decodeIfPresent(UserRef.self, CodingKeys.completedBy)
        projectId = try reader.decodeIfPresent(Int64.self, CodingKeys.projectId)
        projectName = try reader.decodeIfPresent(String.self, CodingKeys.projectName)
        version = try reader.decode(Int64.self, CodingKeys.version)
        createdAt = try reader.decode(Date.self, CodingKeys.createdAt)
        createdBy = try reader.decode(UserRef.self, CodingKeys.createdBy)
        updatedAt = try reader.decode(Date.self, CodingKeys.updatedAt)
        updatedBy = try reader.decode(UserRef.self, CodingKeys.updatedBy, sameAs: CodingKeys.createdBy, decodedAs: createdBy)
        timeZone = try reader.decodeIfPresent(String.self, CodingKeys.timeZone)
    }
}

extension ActivityList: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        planned = try reader.decode([Activity].self, CodingKeys.planned)
        done = try reader.decode([Activity].self, CodingKeys.done)
    }
}

extension Segment: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        id = try reader.decode(Int64.self, CodingKeys.id)
        parentId = try reader.decodeIfPresent(Int64.self, CodingKeys.parentId)
        name = try reader.decode(String.self, CodingKeys.name)
        path = try reader.decode([String].self, CodingKeys.path)
        customerCount = try reader.decode(Int64.self, CodingKeys.customerCount)
    }
}

extension ContactInformation: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        addresses = try reader.decode([Address].self, CodingKeys.addresses)
        contacts = try reader.decode([Contact].self, CodingKeys.contacts)
        activities = try reader.decode(ActivityList.self, CodingKeys.activities)
        segments = try reader.decode([Segment].self, CodingKeys.segments)
    }
}

extension CustomerCard: DirectDecodable {
    /// The customer and the contact-information tab read themselves; the other tabs, asked for
    /// less often, go through their `Codable`.
    public init(fields reader: borrowing BinaryReader) throws {
        customer = try reader.decode(Customer.self, CodingKeys.customer)
        contactInformation = try reader.decodeIfPresent(ContactInformation.self, CodingKeys.contactInformation)
        salesAndProjects = try reader.decodeCodableIfPresent(ProjectList.self, CodingKeys.salesAndProjects)
        collaboration = try reader.decodeCodableIfPresent(CollaborationTab.self, CodingKeys.collaboration)
        financial = try reader.decodeCodableIfPresent(FinancialTab.self, CodingKeys.financial)
        settings = try reader.decodeCodableIfPresent(SettingsTab.self, CodingKeys.settings)
        files = try reader.decodeCodableIfPresent(FilesTab.self, CodingKeys.files)
        financialHidden = try reader.decodeIfPresent(Bool.self, CodingKeys.financialHidden)
    }
}

// MARK: Requests

extension GetCustomerRequest: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        id = try reader.decodeIfPresent(Int64.self, CodingKeys.id)
        number = try reader.decodeIfPresent(Int64.self, CodingKeys.number)
    }
}

extension GetCustomerCardRequest: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        customerId = try reader.decode(Int64.self, CodingKeys.customerId)
        tabs = try reader.decode([CardTab].self, CodingKeys.tabs)
        from = try reader.decodeIfPresent(String.self, CodingKeys.from)
        to = try reader.decodeIfPresent(String.self, CodingKeys.to)
    }
}

extension CustomerQuery: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        status = try reader.decodeIfPresent(Status.self, CodingKeys.status)
        search = try reader.decodeIfPresent(String.self, CodingKeys.search)
        country = try reader.decodeIfPresent(String.self, CodingKeys.country)
        accountManager = try reader.decodeIfPresent(String.self, CodingKeys.accountManager)
        changedSince = try reader.decodeIfPresent(Date.self, CodingKeys.changedSince)
        order = try reader.decodeIfPresent(Order.self, CodingKeys.order)
    }
}

extension ListCustomersRequest: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        query = try reader.decode(CustomerQuery.self, CodingKeys.query)
        limit = try reader.decodeIfPresent(Int32.self, CodingKeys.limit)
        pageToken = try reader.decodeIfPresent(String.self, CodingKeys.pageToken)
    }
}

extension CustomerFields: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        number = try reader.decodeIfPresent(Int64.self, CodingKeys.number)
        name = try reader.decodeIfPresent(String.self, CodingKeys.name)
        accountManager = try reader.decodeIfPresent(String.self, CodingKeys.accountManager)
        description = try reader.decodeIfPresent(String.self, CodingKeys.description)
        vatNumber = try reader.decodeIfPresent(String.self, CodingKeys.vatNumber)
        country = try reader.decodeIfPresent(String.self, CodingKeys.country)
        industry = try reader.decodeIfPresent(String.self, CodingKeys.industry)
        email = try reader.decodeIfPresent(String.self, CodingKeys.email)
        website = try reader.decodeIfPresent(String.self, CodingKeys.website)
        phone = try reader.decodeIfPresent(String.self, CodingKeys.phone)
    }
}

extension CreateCustomerRequest: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        fields = try reader.decode(CustomerFields.self, CodingKeys.fields)
        allowDuplicateVat = try reader.decodeIfPresent(Bool.self, CodingKeys.allowDuplicateVat)
    }
}
