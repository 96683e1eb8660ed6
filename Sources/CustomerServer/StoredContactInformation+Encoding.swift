import BinaryCoding
import CustomerAPI
import CustomerStore

// The card's contact-information tab written from the store's records, field for field as the
// API's messages made of them (`ContactInformation(addresses: addresses.map(Address.init), …)`)
// encode: no `Address`, `Contact` or `Activity` is built, copied into the card and released
// again (~27 000 instructions of the bench's card, docs/PERFORMANCE.md "card10"). A field added
// to one of those messages' `encodeFields` goes here too; CardEncodingTests compares the bytes.

extension StoredContactInformation {
    /// The fields of `ContactInformation` (the customer is the card's own field, not the tab's).
    func encodeFields(to writer: inout BinaryWriter) throws {
        typealias Key = ContactInformation.CodingKeys
        // Elements borrowed by index: `for address in addresses` copies each (its strings retained).
        for index in addresses.indices {
            try writer.writeMessage(Key.addresses) { try addresses[index].encodeAddressFields(to: &$0) }
        }
        for index in contacts.indices {
            try writer.writeMessage(Key.contacts) { try contacts[index].encodeContactFields(to: &$0) }
        }
        try writer.writeMessage(Key.activities) { try activities.encodeListFields(to: &$0) }
        // Rare (the bench's customers have none), so through the message.
        try writer.write(Key.segments, segments.map(Segment.init))
    }
}

extension StoredAddress {
    /// The fields of `Address(self)`.
    func encodeAddressFields(to writer: inout BinaryWriter) throws {
        typealias Key = Address.CodingKeys
        try writer.write(Key.id, id)
        try writer.write(Key.customerId, customerID)
        try writer.write(Key.street, street)
        try writer.write(Key.postalCode, postalCode)
        try writer.write(Key.city, city)
        try writer.write(Key.region, region)
        try writer.write(Key.country, country)
        try writer.write(Key.kind, Address.Kind(kind))
        try writer.write(Key.isHeadOffice, isHeadOffice)
        try writer.write(Key.version, version)
        try writer.write(Key.createdAt, createdAt)
        try writer.write(Key.createdBy, UserRef(createdBy))
        try writer.write(Key.updatedAt, updatedAt)
        try writer.write(Key.updatedBy, UserRef(updatedBy))
    }
}

extension StoredContact {
    /// The fields of `Contact(self)`.
    func encodeContactFields(to writer: inout BinaryWriter) throws {
        typealias Key = Contact.CodingKeys
        try writer.write(Key.id, id)
        try writer.write(Key.customerId, customerID)
        try writer.write(Key.firstName, firstName)
        try writer.write(Key.lastName, lastName)
        try writer.write(Key.title, title)
        try writer.write(Key.email, email)
        try writer.write(Key.phone, phone)
        try writer.write(Key.mobile, mobile)
        try writer.write(Key.language, language)
        try writer.write(Key.notes, notes)
        try writer.write(Key.keywords, keywords)
        try writer.write(Key.roles, roles)
        try writer.write(Key.active, active)
        try writer.write(Key.deleted, deleted)
        try writer.write(Key.version, version)
        try writer.write(Key.createdAt, createdAt)
        try writer.write(Key.createdBy, UserRef(createdBy))
        try writer.write(Key.updatedAt, updatedAt)
        try writer.write(Key.updatedBy, UserRef(updatedBy))
    }
}

extension StoredActivityList {
    /// The fields of `ActivityList(self)`.
    func encodeListFields(to writer: inout BinaryWriter) throws {
        typealias Key = ActivityList.CodingKeys
        for index in planned.indices {
            try writer.writeMessage(Key.planned) { try planned[index].encodeActivityFields(to: &$0) }
        }
        for index in done.indices {
            try writer.writeMessage(Key.done) { try done[index].encodeActivityFields(to: &$0) }
        }
    }
}

extension StoredActivity {
    /// The fields of `Activity(self)`.
    func encodeActivityFields(to writer: inout BinaryWriter) throws {
        typealias Key = Activity.CodingKeys
        try writer.write(Key.id, id)
        try writer.write(Key.customerId, customerID)
        try writer.write(Key.kind, Activity.Kind(kind))
        try writer.write(Key.subject, subject)
        try writer.write(Key.dueDate, dueAt)
        try writer.write(Key.startsAt, startsAt)
        try writer.write(Key.endsAt, endsAt)
        try writer.write(Key.assignee, assignee.map(UserRef.init))
        try writer.write(Key.contact, contact.map(ContactRef.init))
        try writer.write(Key.done, done)
        try writer.write(Key.completedAt, completedAt)
        try writer.write(Key.completedBy, completedBy.map(UserRef.init))
        try writer.write(Key.projectId, projectID)
        try writer.write(Key.projectName, projectName)
        try writer.write(Key.version, version)
        try writer.write(Key.createdAt, createdAt)
        try writer.write(Key.createdBy, UserRef(createdBy))
        try writer.write(Key.updatedAt, updatedAt)
        try writer.write(Key.updatedBy, UserRef(updatedBy))
        try writer.write(Key.timeZone, timeZone)
    }
}
