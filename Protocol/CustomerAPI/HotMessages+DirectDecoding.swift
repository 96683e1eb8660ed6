import BinaryCoding
import Foundation

// The hot messages read their own fields (see `DirectDecodable`): a customer as get, create and
// update answer it, a page of them, the card with its contact-information tab, and the get, list,
// card and create requests. Each reads its fields in the order of its `CodingKeys` cases, which is
// the order its synthesized `init(from:)` reads them, so a malformed message fails on the
// same field with the same kind of error; DirectDecodingTests compare both paths for every message
// here, and the `direct` fuzz target on random bytes. A user reference that repeats an earlier one
// of the same message byte for byte (most records are changed by whoever created them) is that
// value again, not read twice (`decode(_:_:sameAs:decodedAs:)`). The records (a customer, an
// address, a contact, an activity) are built by `decoded(fields:)` with the memberwise initializer
// the compiler synthesizes, from their fields read into locals in the same order.

extension UserRef: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        id = try reader.decode(Int64.self, CodingKeys.id)
        name = try reader.decode(String.self, CodingKeys.name)
    }
}

extension Customer: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        self = try Self.decoded(fields: reader)
    }

    /// Read into locals and given to the synthesized memberwise initializer (see `deleted`): an
    /// explicit initializer's `self` was copied whole into the result and then released (~650
    /// instructions a customer with `memcpy`, a twelfth of a page's client side). The fields are
    /// read in the order of the field numbers, `deleted` (22) last, as the synthesized
    /// `init(from:)` reads them.
    public static func decoded(fields reader: borrowing BinaryReader) throws -> Customer {
        let id = try reader.decode(Int64.self, CodingKeys.id)
        let number = try reader.decode(Int64.self, CodingKeys.number)
        let name = try reader.decode(String.self, CodingKeys.name)
        let accountManager = try reader.decodeIfPresent(UserRef.self, CodingKeys.accountManager)
        let description = try reader.decodeIfPresent(String.self, CodingKeys.description)
        let vatNumber = try reader.decodeIfPresent(String.self, CodingKeys.vatNumber)
        let country = try reader.decodeIfPresent(String.self, CodingKeys.country)
        let industry = try reader.decodeIfPresent(String.self, CodingKeys.industry)
        let email = try reader.decodeIfPresent(String.self, CodingKeys.email)
        let website = try reader.decodeIfPresent(String.self, CodingKeys.website)
        let phone = try reader.decodeIfPresent(String.self, CodingKeys.phone)
        let active = try reader.decode(Bool.self, CodingKeys.active)
        let version = try reader.decode(Int64.self, CodingKeys.version)
        let createdAt = try reader.decode(Date.self, CodingKeys.createdAt)
        let createdBy = try reader.decode(UserRef.self, CodingKeys.createdBy, sameAs: CodingKeys.accountManager,
                                          decodedAs: accountManager)
        let updatedAt = try reader.decode(Date.self, CodingKeys.updatedAt)
        let updatedBy = try reader.decode(UserRef.self, CodingKeys.updatedBy, sameAs: CodingKeys.createdBy,
                                          decodedAs: createdBy)
        let headOffice = try reader.decodeIfPresent(Address.self, CodingKeys.headOffice)
        let businessId = try reader.decodeIfPresent(String.self, CodingKeys.businessId)
        let registryStatus = try reader.decodeIfPresent(String.self, CodingKeys.registryStatus)
        let registryCheckedAt = try reader.decodeIfPresent(Date.self, CodingKeys.registryCheckedAt)
        let deleted = try reader.decodeIfPresent(Bool.self, CodingKeys.deleted)
        // The synthesized initializer: its `deleted` comes last, the public one's after `active`.
        return Customer(
            id: id, number: number, name: name, accountManager: accountManager, description: description,
            vatNumber: vatNumber, country: country, industry: industry, email: email, website: website,
            phone: phone, active: active, version: version, createdAt: createdAt, createdBy: createdBy,
            updatedAt: updatedAt, updatedBy: updatedBy, headOffice: headOffice, businessId: businessId,
            registryStatus: registryStatus, registryCheckedAt: registryCheckedAt, deleted: deleted)
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
        self = try Self.decoded(fields: reader)
    }

    /// Built by the synthesized memberwise initializer, as a customer is (see `isHeadOffice`).
    public static func decoded(fields reader: borrowing BinaryReader) throws -> Address {
        let id = try reader.decode(Int64.self, CodingKeys.id)
        let customerId = try reader.decode(Int64.self, CodingKeys.customerId)
        let street = try reader.decode([String].self, CodingKeys.street)
        let postalCode = try reader.decodeIfPresent(String.self, CodingKeys.postalCode)
        let city = try reader.decodeIfPresent(String.self, CodingKeys.city)
        let region = try reader.decodeIfPresent(String.self, CodingKeys.region)
        let country = try reader.decode(String.self, CodingKeys.country)
        let kind = try reader.decode(Kind.self, CodingKeys.kind)
        let isHeadOffice = try reader.decode(Bool.self, CodingKeys.isHeadOffice)
        let version = try reader.decode(Int64.self, CodingKeys.version)
        let createdAt = try reader.decode(Date.self, CodingKeys.createdAt)
        let createdBy = try reader.decode(UserRef.self, CodingKeys.createdBy)
        let updatedAt = try reader.decode(Date.self, CodingKeys.updatedAt)
        let updatedBy = try reader.decode(UserRef.self, CodingKeys.updatedBy, sameAs: CodingKeys.createdBy,
                                          decodedAs: createdBy)
        return Address(
            id: id, customerId: customerId, street: street, postalCode: postalCode, city: city, region: region,
            country: country, kind: kind, version: version, createdAt: createdAt, createdBy: createdBy,
            updatedAt: updatedAt, updatedBy: updatedBy, isHeadOffice: isHeadOffice)
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
        self = try Self.decoded(fields: reader)
    }

    /// Built by the synthesized memberwise initializer, as a customer is (see `deleted`).
    public static func decoded(fields reader: borrowing BinaryReader) throws -> Contact {
        let id = try reader.decode(Int64.self, CodingKeys.id)
        let customerId = try reader.decode(Int64.self, CodingKeys.customerId)
        let firstName = try reader.decodeIfPresent(String.self, CodingKeys.firstName)
        let lastName = try reader.decodeIfPresent(String.self, CodingKeys.lastName)
        let title = try reader.decodeIfPresent(String.self, CodingKeys.title)
        let email = try reader.decodeIfPresent(String.self, CodingKeys.email)
        let phone = try reader.decodeIfPresent(String.self, CodingKeys.phone)
        let mobile = try reader.decodeIfPresent(String.self, CodingKeys.mobile)
        let language = try reader.decodeIfPresent(String.self, CodingKeys.language)
        let notes = try reader.decodeIfPresent(String.self, CodingKeys.notes)
        let keywords = try reader.decode([String].self, CodingKeys.keywords)
        let roles = try reader.decode([String].self, CodingKeys.roles)
        let active = try reader.decode(Bool.self, CodingKeys.active)
        let deleted = try reader.decode(Bool.self, CodingKeys.deleted)
        let version = try reader.decode(Int64.self, CodingKeys.version)
        let createdAt = try reader.decode(Date.self, CodingKeys.createdAt)
        let createdBy = try reader.decode(UserRef.self, CodingKeys.createdBy)
        let updatedAt = try reader.decode(Date.self, CodingKeys.updatedAt)
        let updatedBy = try reader.decode(UserRef.self, CodingKeys.updatedBy, sameAs: CodingKeys.createdBy,
                                          decodedAs: createdBy)
        return Contact(
            id: id, customerId: customerId, firstName: firstName, lastName: lastName, title: title, email: email,
            phone: phone, mobile: mobile, language: language, notes: notes, keywords: keywords, roles: roles,
            active: active, version: version, createdAt: createdAt, createdBy: createdBy, updatedAt: updatedAt,
            updatedBy: updatedBy, deleted: deleted)
    }
}

extension Activity: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        self = try Self.decoded(fields: reader)
    }

    /// Built by the synthesized memberwise initializer, as a customer is (see `done`).
    public static func decoded(fields reader: borrowing BinaryReader) throws -> Activity {
        let id = try reader.decode(Int64.self, CodingKeys.id)
        let customerId = try reader.decode(Int64.self, CodingKeys.customerId)
        let kind = try reader.decode(Kind.self, CodingKeys.kind)
        let subject = try reader.decode(String.self, CodingKeys.subject)
        let dueDate = try reader.decodeIfPresent(Date.self, CodingKeys.dueDate)
        let startsAt = try reader.decodeIfPresent(Date.self, CodingKeys.startsAt)
        let endsAt = try reader.decodeIfPresent(Date.self, CodingKeys.endsAt)
        let assignee = try reader.decodeIfPresent(UserRef.self, CodingKeys.assignee)
        let contact = try reader.decodeIfPresent(ContactRef.self, CodingKeys.contact)
        let done = try reader.decode(Bool.self, CodingKeys.done)
        let completedAt = try reader.decodeIfPresent(Date.self, CodingKeys.completedAt)
        let completedBy = try reader.decodeIfPresent(UserRef.self, CodingKeys.completedBy)
        let projectId = try reader.decodeIfPresent(Int64.self, CodingKeys.projectId)
        let projectName = try reader.decodeIfPresent(String.self, CodingKeys.projectName)
        let version = try reader.decode(Int64.self, CodingKeys.version)
        let createdAt = try reader.decode(Date.self, CodingKeys.createdAt)
        let createdBy = try reader.decode(UserRef.self, CodingKeys.createdBy)
        let updatedAt = try reader.decode(Date.self, CodingKeys.updatedAt)
        let updatedBy = try reader.decode(UserRef.self, CodingKeys.updatedBy, sameAs: CodingKeys.createdBy,
                                          decodedAs: createdBy)
        let timeZone = try reader.decodeIfPresent(String.self, CodingKeys.timeZone)
        return Activity(
            id: id, customerId: customerId, kind: kind, subject: subject, dueDate: dueDate, startsAt: startsAt,
            endsAt: endsAt, assignee: assignee, contact: contact, completedAt: completedAt, completedBy: completedBy,
            projectId: projectId, projectName: projectName, version: version, createdAt: createdAt,
            createdBy: createdBy, updatedAt: updatedAt, updatedBy: updatedBy, timeZone: timeZone, done: done)
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
