import CustomerAPI
import CustomerStore
import Foundation
import RPCServing

// Store records to API messages for the contact-information tab.

extension Address {
    init(_ stored: StoredAddress) {
        self.init(
            id: stored.id, customerId: stored.customerID, street: stored.street, postalCode: stored.postalCode,
            city: stored.city, region: stored.region, country: stored.country, kind: Kind(stored.kind),
            isHeadOffice: stored.isHeadOffice, version: stored.version, createdAt: stored.createdAt,
            createdBy: UserRef(stored.createdBy), updatedAt: stored.updatedAt, updatedBy: UserRef(stored.updatedBy))
    }
}

extension Address.Kind {
    init(_ stored: AddressKind) {
        switch stored {
        case .visiting: self = .visiting
        case .postal: self = .postal
        case .billing: self = .billing
        case .delivery: self = .delivery
        }
    }

    var stored: AddressKind {
        switch self {
        case .visiting: return .visiting
        case .postal: return .postal
        case .billing: return .billing
        case .delivery: return .delivery
        }
    }
}

extension AddressFields {
    var stored: StoredAddressFields {
        StoredAddressFields(
            street1: street1, street2: street2, street3: street3, postalCode: postalCode, city: city, region: region,
            country: country, kind: kind?.stored)
    }
}

extension ContactRef {
    init(_ stored: StoredContactRef) {
        self.init(id: stored.id, name: stored.name, deleted: stored.deleted)
    }
}

extension Contact {
    init(_ stored: StoredContact) {
        self.init(
            id: stored.id, customerId: stored.customerID, firstName: stored.firstName, lastName: stored.lastName,
            title: stored.title, email: stored.email, phone: stored.phone, mobile: stored.mobile,
            language: stored.language, notes: stored.notes, keywords: stored.keywords, roles: stored.roles,
            active: stored.active, deleted: stored.deleted, version: stored.version, createdAt: stored.createdAt,
            createdBy: UserRef(stored.createdBy), updatedAt: stored.updatedAt, updatedBy: UserRef(stored.updatedBy))
    }
}

extension ContactFields {
    var stored: StoredContactFields {
        StoredContactFields(
            firstName: firstName, lastName: lastName, title: title, email: email, phone: phone, mobile: mobile,
            language: language, notes: notes)
    }
}

extension Label.Kind {
    var stored: LabelKind { self == .keyword ? .keyword : .role }
}

extension Label {
    init(_ stored: StoredLabel) {
        self.init(id: stored.id, kind: stored.kind == .keyword ? .keyword : .role, name: stored.name, contactCount: stored.contactCount)
    }
}

extension Activity.Kind {
    init(_ stored: ActivityKind) {
        switch stored {
        case .note: self = .note
        case .task: self = .task
        case .event: self = .event
        case .projectTask: self = .projectTask
        }
    }
}

extension Activity {
    init(_ stored: StoredActivity) {
        self.init(
            id: stored.id, customerId: stored.customerID, kind: Kind(stored.kind), subject: stored.subject, dueDate: stored.dueAt,
            startsAt: stored.startsAt, endsAt: stored.endsAt, assignee: stored.assignee.map(UserRef.init),
            contact: stored.contact.map(ContactRef.init), done: stored.done, completedAt: stored.completedAt,
            completedBy: stored.completedBy.map(UserRef.init), projectId: stored.projectID,
            projectName: stored.projectName, version: stored.version, createdAt: stored.createdAt,
            createdBy: UserRef(stored.createdBy), updatedAt: stored.updatedAt, updatedBy: UserRef(stored.updatedBy),
            timeZone: stored.timeZone)
    }
}

extension ActivityList {
    init(_ stored: StoredActivityList) {
        self.init(planned: stored.planned.map(Activity.init), done: stored.done.map(Activity.init))
    }
}

extension HistoryEntry.Entity {
    var stored: HistoryEntity {
        switch self {
        case .customer: return .customer
        case .address: return .address
        case .contact: return .contact
        case .project: return .project
        case .projectTask: return .projectTask
        case .collaborationNote: return .collaborationNote
        case .invoice: return .invoice
        case .activity: return .activity
        }
    }

    init(_ stored: HistoryEntity) {
        switch stored {
        case .customer: self = .customer
        case .address: self = .address
        case .contact: self = .contact
        case .project: self = .project
        case .projectTask: self = .projectTask
        case .collaborationNote: self = .collaborationNote
        case .invoice: self = .invoice
        case .activity: self = .activity
        }
    }
}

extension HistoryEntry {
    init(_ stored: StoredHistoryEntry) {
        self.init(
            id: stored.id, entity: Entity(stored.entity), entityId: stored.entityID, customerId: stored.customerID,
            action: stored.action, at: stored.at, by: UserRef(stored.by),
            changes: stored.changes.map(FieldChange.init),
            contact: stored.contact.map(ContactRef.init), source: stored.source,
            via: stored.via.map(UserRef.init))
    }
}

extension FieldChange {
    init(_ stored: StoredFieldChange) {
        self.init(field: stored.field, oldValue: stored.oldValue, newValue: stored.newValue, erased: stored.erased)
    }
}
