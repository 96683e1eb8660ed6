import BinaryCoding
import CustomerAPI
import CustomerStore

// The card's contact-information tab written from the store's records and rows, field for field
// as the API's messages made of them (`ContactInformation(addresses: addresses.map(Address.init),
// …)`) encode: no `Address`, `Contact` or `Activity` is built, copied into the card and released
// again (~27 000 instructions of the bench's card, docs/performance/HISTORY.md "card10"); the activities
// and the contacts from their rows as the read lends them, with no `StoredActivity` ("card14") or
// `StoredContact` ("card15") either. A field
// added to one of those messages' `encodeFields` goes here too; CardEncodingTests compares the
// bytes.

extension StoredContactInformation {
    /// The fields of `ContactInformation` (the customer is the card's own field, not the tab's),
    /// the contacts' written by `contacts` when the read lent them (the tab's `contacts` then
    /// empty), the activities' (`ActivityList`'s fields) by `activities`.
    func encodeFields(to writer: inout BinaryWriter, contacts lent: (inout BinaryWriter) throws -> Void = { _ in },
                      activities: (inout BinaryWriter) throws -> Void) throws {
        typealias Key = ContactInformation.CodingKeys
        // Elements borrowed through the buffer: `for address in addresses` copies each (its
        // strings retained), and so did `addresses[index]` in the message's closure, twice
        // (docs/performance/HISTORY.md "serve33").
        try addresses.withUnsafeBufferPointer { addresses in
            for index in addresses.indices {
                try writer.writeMessage(Key.addresses) { try addresses[index].encodeAddressFields(to: &$0) }
            }
        }
        for index in contacts.indices {
            try writer.writeMessage(Key.contacts) { try contacts[index].encodeContactFields(to: &$0) }
        }
        try lent(&writer)
        try writer.writeMessage(Key.activities, activities)
        // Rare (the bench's customers have none), so through the message.
        try writer.write(Key.segments, segments.map(Segment.init))
    }
}

/// The card's contacts and activities as the read lends their rows, written into a writer of
/// their own and copied into the tab where its fields go: the contacts as `contacts` fields of
/// `ContactInformation`, in the order lent (the list's); the activities (lent in no order) each
/// as an `Activity` message of the `ActivityList` (`planned` or `done`), copied in the list's
/// order (`CardTabs.lentActivityOrder`). One writer for both: one buffer a card.
struct LentRows {
    private var written = BinaryWriter(capacity: 1024)
    /// The bytes of the contacts lent (all lent before any activity).
    private var contacts = 0..<0
    /// Where each lent activity's field begins, and where the last ends: room for a card's usual
    /// few reserved at the first (appended one by one from empty, it grew three times a card:
    /// three allocations, copies and releases, ~1 500 instructions, docs/performance/HISTORY.md "card29").
    private var activityBounds: [Int] = []

    /// Writes the lent contact `row`.
    mutating func write(_ row: ContactListingRow) throws {
        guard activityBounds.isEmpty, contacts.upperBound == written.count else {
            throw EncodingError.invalidValue(written.count, EncodingError.Context(
                codingPath: [], debugDescription: "a contact was lent after an activity"))
        }
        try written.writeMessage(ContactInformation.CodingKeys.contacts) { try row.encodeContactFields(to: &$0) }
        contacts = contacts.lowerBound..<written.count
    }

    /// Writes the lent activity `row`.
    mutating func write(_ row: ActivityListingRow) throws {
        typealias Key = ActivityList.CodingKeys
        if activityBounds.isEmpty {
            activityBounds.reserveCapacity(Self.usualActivityBounds)
            activityBounds.append(written.count)
        }
        try written.writeMessage(row.done ? Key.done : Key.planned) { try row.encodeActivityFields(to: &$0) }
        activityBounds.append(written.count)
    }

    /// The bounds reserved at the first activity: 15 activities and the end of the last (the
    /// bench's card has 5); a card with more grows the array as before.
    private static var usualActivityBounds: Int { 16 }

    /// The `contacts` fields of the contacts lent.
    func encodeContactFields(to writer: inout BinaryWriter) throws {
        if !contacts.isEmpty { try writer.write(fieldsOf: written, contacts) }
    }

    /// The `ActivityList`'s fields: the activities written, in `order` (positions as the read lent them).
    func encodeListFields(to writer: inout BinaryWriter, order: [Int]) throws {
        for position in order {
            guard position >= 0, position + 1 < activityBounds.count else {
                throw EncodingError.invalidValue(position, EncodingError.Context(
                    codingPath: [], debugDescription: "no activity \(position) was lent (\(max(activityBounds.count - 1, 0)) were)"))
            }
            try writer.write(fieldsOf: written, activityBounds[position]..<activityBounds[position + 1])
        }
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
        try writer.write(Key.createdBy, user: createdBy)
        try writer.write(Key.updatedAt, updatedAt)
        try writer.write(Key.updatedBy, user: updatedBy)
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
        try writer.write(Key.createdBy, user: createdBy)
        try writer.write(Key.updatedAt, updatedAt)
        try writer.write(Key.updatedBy, user: updatedBy)
    }
}

extension ContactListingRow {
    /// The fields of `Contact(try stored())`, text copied from the row.
    func encodeContactFields(to writer: inout BinaryWriter) throws {
        typealias Key = Contact.CodingKeys
        try writer.write(Key.id, try id)
        try writer.write(Key.customerId, try customerID)
        try writer.write(Key.firstName, utf8: try firstName)
        try writer.write(Key.lastName, utf8: try lastName)
        try writer.write(Key.title, utf8: try title)
        try writer.write(Key.email, utf8: try email)
        try writer.write(Key.phone, utf8: try phone)
        try writer.write(Key.mobile, utf8: try mobile)
        try writer.write(Key.language, utf8: try language)
        try writer.write(Key.notes, utf8: try notes)
        try writer.write(Key.keywords, keywords)
        try writer.write(Key.roles, roles)
        try writer.write(Key.active, try active)
        try writer.write(Key.deleted, try deleted)
        try writer.write(Key.version, try version)
        try writer.write(Key.createdAt, try createdAt)
        try writer.write(Key.createdBy, user: try createdBy)
        try writer.write(Key.updatedAt, try updatedAt)
        try writer.write(Key.updatedBy, user: try updatedBy)
    }
}

extension ActivityListingRow {
    /// The fields of `Activity(try stored())`, text copied from the row.
    func encodeActivityFields(to writer: inout BinaryWriter) throws {
        typealias Key = Activity.CodingKeys
        try writer.write(Key.id, try id)
        try writer.write(Key.customerId, try customerID)
        try writer.write(Key.kind, Activity.Kind(kind))
        try writer.write(Key.subject, utf8: try subject)
        try writer.write(Key.dueDate, try dueAt)
        try writer.write(Key.startsAt, try startsAt)
        try writer.write(Key.endsAt, try endsAt)
        try writer.write(Key.assignee, user: try assignee)
        try writer.write(Key.contact, try contact.map(ContactRef.init))
        try writer.write(Key.done, done)
        try writer.write(Key.completedAt, try completedAt)
        try writer.write(Key.completedBy, user: try completedBy)
        try writer.write(Key.projectId, try projectID)
        try writer.write(Key.projectName, utf8: try projectName)
        try writer.write(Key.version, try version)
        try writer.write(Key.createdAt, try createdAt)
        try writer.write(Key.createdBy, user: try createdBy)
        try writer.write(Key.updatedAt, try updatedAt)
        try writer.write(Key.updatedBy, user: try updatedBy)
        try writer.write(Key.timeZone, utf8: try timeZone)
    }
}
