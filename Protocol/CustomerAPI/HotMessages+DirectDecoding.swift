import BinaryCoding
import Foundation

// The hot messages read their own fields (see `DirectDecodable`): what a client decodes for get,
// list and the card. Each reads the keys its synthesized `init(from:)` reads, with the same
// optionality (`read` for a value, `readIfPresent` for an optional), so both paths accept the same
// bytes; HotMessageEncodingTests and the fuzz target `responses` compare them.

extension UserRef: DirectDecodable {
    public init(fields reader: BinaryReader) throws {
        id = try reader.read(CodingKeys.id)
        name = try reader.read(CodingKeys.name)
    }
}

extension Customer: DirectDecodable {
    public init(fields reader: BinaryReader) throws {
        id = try reader.read(CodingKeys.id)
        number = try reader.read(CodingKeys.number)
        name = try reader.read(CodingKeys.name)
        accountManager = try reader.readIfPresent(CodingKeys.accountManager)
        description = try reader.readIfPresent(CodingKeys.description)
        vatNumber = try reader.readIfPresent(CodingKeys.vatNumber)
        country = try reader.readIfPresent(CodingKeys.country)
        industry = try reader.readIfPresent(CodingKeys.industry)
        email = try reader.readIfPresent(CodingKeys.email)
        website = try reader.readIfPresent(CodingKeys.website)
        phone = try reader.readIfPresent(CodingKeys.phone)
        active = try reader.read(CodingKeys.active)
        version = try reader.read(CodingKeys.version)
        createdAt = try reader.read(CodingKeys.createdAt)
        createdBy = try reader.read(CodingKeys.createdBy)
        updatedAt = try reader.read(CodingKeys.updatedAt)
        updatedBy = try reader.read(CodingKeys.updatedBy)
        headOffice = try reader.readIfPresent(CodingKeys.headOffice)
        businessId = try reader.readIfPresent(CodingKeys.businessId)
        registryStatus = try reader.readIfPresent(CodingKeys.registryStatus)
        registryCheckedAt = try reader.readIfPresent(CodingKeys.registryCheckedAt)
        deleted = try reader.readIfPresent(CodingKeys.deleted)
    }
}

extension ListCustomersResponse: DirectDecodable {
    public init(fields reader: BinaryReader) throws {
        customers = try reader.read(CodingKeys.customers)
        nextPageToken = try reader.readIfPresent(CodingKeys.nextPageToken)
    }
}

extension Address: DirectDecodable {
    public init(fields reader: BinaryReader) throws {
        id = try reader.read(CodingKeys.id)
        customerId = try reader.read(CodingKeys.customerId)
        street = try reader.read(CodingKeys.street)
        postalCode = try reader.readIfPresent(CodingKeys.postalCode)
        city = try reader.readIfPresent(CodingKeys.city)
        region = try reader.readIfPresent(CodingKeys.region)
        country = try reader.read(CodingKeys.country)
        kind = try reader.read(CodingKeys.kind)
        isHeadOffice = try reader.read(CodingKeys.isHeadOffice)
        version = try reader.read(CodingKeys.version)
        createdAt = try reader.read(CodingKeys.createdAt)
        createdBy = try reader.read(CodingKeys.createdBy)
        updatedAt = try reader.read(CodingKeys.updatedAt)
        updatedBy = try reader.read(CodingKeys.updatedBy)
    }
}

extension ContactRef: DirectDecodable {
    public init(fields reader: BinaryReader) throws {
        id = try reader.read(CodingKeys.id)
        name = try reader.readIfPresent(CodingKeys.name)
        deleted = try reader.read(CodingKeys.deleted)
    }
}

extension Contact: DirectDecodable {
    public init(fields reader: BinaryReader) throws {
        id = try reader.read(CodingKeys.id)
        customerId = try reader.read(CodingKeys.customerId)
        firstName = try reader.readIfPresent(CodingKeys.firstName)
        lastName = try reader.readIfPresent(CodingKeys.lastName)
        title = try reader.readIfPresent(CodingKeys.title)
        email = try reader.readIfPresent(CodingKeys.email)
        phone = try reader.readIfPresent(CodingKeys.phone)
        mobile = try reader.readIfPresent(CodingKeys.mobile)
        language = try reader.readIfPresent(CodingKeys.language)
        notes = try reader.readIfPresent(CodingKeys.notes)
        keywords = try reader.read(CodingKeys.keywords)
        roles = try reader.read(CodingKeys.roles)
        active = try reader.read(CodingKeys.active)
        deleted = try reader.read(CodingKeys.deleted)
        version = try reader.read(CodingKeys.version)
        createdAt = try reader.read(CodingKeys.createdAt)
        createdBy = try reader.read(CodingKeys.createdBy)
        updatedAt = try reader.read(CodingKeys.updatedAt)
        updatedBy = try reader.read(CodingKeys.updatedBy)
    }
}

extension Activity: DirectDecodable {
    public init(fields reader: BinaryReader) throws {
        id = try reader.read(CodingKeys.id)
        customerId = try reader.read(CodingKeys.customerId)
        kind = try reader.read(CodingKeys.kind)
        subject = try reader.read(CodingKeys.subject)
        dueDate = try reader.readIfPresent(CodingKeys.dueDate)
        startsAt = try reader.readIfPresent(CodingKeys.startsAt)
        endsAt = try reader.readIfPresent(CodingKeys.endsAt)
        assignee = try reader.readIfPresent(CodingKeys.assignee)
        contact = try reader.readIfPresent(CodingKeys.contact)
        done = try reader.read(CodingKeys.done)
        completedAt = try reader.readIfPresent(CodingKeys.completedAt)
        completedBy = try reader.readIfPresent(CodingKeys.completedBy)
        projectId = try reader.readIfPresent(CodingKeys.projectId)
        projectName = try reader.readIfPresent(CodingKeys.projectName)
        version = try reader.read(CodingKeys.version)
        createdAt = try reader.read(CodingKeys.createdAt)
        createdBy = try reader.read(CodingKeys.createdBy)
        updatedAt = try reader.read(CodingKeys.updatedAt)
        updatedBy = try reader.read(CodingKeys.updatedBy)
        timeZone = try reader.readIfPresent(CodingKeys.timeZone)
    }
}

extension ActivityList: DirectDecodable {
    public init(fields reader: BinaryReader) throws {
        planned = try reader.read(CodingKeys.planned)
        done = try reader.read(CodingKeys.done)
    }
}

extension Segment: DirectDecodable {
    public init(fields reader: BinaryReader) throws {
        id = try reader.read(CodingKeys.id)
        parentId = try reader.readIfPresent(CodingKeys.parentId)
        name = try reader.read(CodingKeys.name)
        path = try reader.read(CodingKeys.path)
        customerCount = try reader.read(CodingKeys.customerCount)
    }
}

extension ContactInformation: DirectDecodable {
    public init(fields reader: BinaryReader) throws {
        addresses = try reader.read(CodingKeys.addresses)
        contacts = try reader.read(CodingKeys.contacts)
        activities = try reader.read(CodingKeys.activities)
        segments = try reader.read(CodingKeys.segments)
    }
}

extension CustomerCard: DirectDecodable {
    public init(fields reader: BinaryReader) throws {
        customer = try reader.read(CodingKeys.customer)
        contactInformation = try reader.readIfPresent(CodingKeys.contactInformation)
        salesAndProjects = try reader.readIfPresent(CodingKeys.salesAndProjects)
        collaboration = try reader.readIfPresent(CodingKeys.collaboration)
        financial = try reader.readIfPresent(CodingKeys.financial)
        settings = try reader.readIfPresent(CodingKeys.settings)
        files = try reader.readIfPresent(CodingKeys.files)
        financialHidden = try reader.readIfPresent(CodingKeys.financialHidden)
    }
}
