import CustomerClient
import Foundation
import ServiceLog

/// Output of the contact-information records: addresses, contacts, labels, activities, history.
extension Output {
    /// What every place that names a contact prints: the name, or "Contact deleted" for a tombstone.
    static func describe(_ contact: ContactRef?) -> String {
        guard let contact else { return "-" }
        return contact.deleted ? "Contact deleted" : (contact.name ?? "#\(contact.id)")
    }

    static func describe(_ kind: Address.Kind) -> String {
        switch kind {
        case .visiting: return "visiting"
        case .postal: return "postal"
        case .billing: return "billing"
        case .delivery: return "delivery"
        }
    }

    func address(_ address: Address) throws {
        try addresses([address])
    }

    func addresses(_ addresses: [Address]) throws {
        guard format == .table else { return try printJSON(addresses) }
        var table = TextTable(["ID", "HEAD OFFICE", "KIND", "ADDRESS", "VERSION", "CREATED", "UPDATED"])
        for address in addresses {
            table.append([
                String(address.id), address.isHeadOffice ? "yes" : "", Self.describe(address.kind), address.oneLine,
                String(address.version), "\(Self.timestamp(address.createdAt)) by \(address.createdBy.name)",
                "\(Self.timestamp(address.updatedAt)) by \(address.updatedBy.name)",
            ])
        }
        print(table.render(), terminator: "")
    }

    func contact(_ contact: Contact) throws {
        guard format == .table else { return try printJSON(contact) }
        if contact.deleted {
            print("Contact deleted (id \(contact.id), customer \(contact.customerId))")
            return
        }
        var fields = FieldList()
        fields.add("id", String(contact.id))
        fields.add("customer", String(contact.customerId))
        fields.add("name", contact.displayName)
        fields.add("title", contact.title)
        fields.add("email", contact.email)
        fields.add("phone", contact.phone)
        fields.add("mobile", contact.mobile)
        fields.add("language", contact.language)
        fields.add("keywords", contact.keywords.isEmpty ? nil : contact.keywords.joined(separator: ", "))
        fields.add("roles", contact.roles.isEmpty ? nil : contact.roles.joined(separator: ", "))
        fields.add("notes", contact.notes)
        fields.add("active", contact.active ? "yes" : "no")
        fields.add("version", String(contact.version))
        fields.add("created", "\(Self.timestamp(contact.createdAt)) by \(contact.createdBy.name)")
        fields.add("updated", "\(Self.timestamp(contact.updatedAt)) by \(contact.updatedBy.name)")
        print(fields.render(), terminator: "")
    }

    func contacts(_ contacts: [Contact]) throws {
        guard format == .table else { return try printJSON(contacts) }
        var table = TextTable(["ID", "NAME", "TITLE", "EMAIL", "PHONE", "KEYWORDS", "ROLES", "ACTIVE"])
        for contact in contacts {
            table.append([
                String(contact.id), contact.deleted ? "Contact deleted" : contact.displayName ?? "-", contact.title ?? "-",
                contact.email ?? "-", contact.mobile ?? contact.phone ?? "-", contact.keywords.joined(separator: ", "),
                contact.roles.joined(separator: ", "), contact.active ? "yes" : "no",
            ])
        }
        print(table.render(), terminator: "")
    }

    func labels(_ labels: [Label]) throws {
        guard format == .table else { return try printJSON(labels) }
        var table = TextTable(["ID", "NAME", "CONTACTS"])
        for label in labels {
            table.append([String(label.id), label.name, String(label.contactCount)])
        }
        print(table.render(), terminator: "")
    }

    func activity(_ activity: Activity) throws {
        guard format == .table else { return try printJSON(activity) }
        print(Self.activityTable([activity]), terminator: "")
    }

    func activities(_ list: ActivityList) throws {
        guard format == .table else { return try printJSON(list) }
        print("PLANNED")
        print(list.planned.isEmpty ? "  none\n" : Self.activityTable(list.planned), terminator: "")
        print("\nDONE")
        print(list.done.isEmpty ? "  none\n" : Self.activityTable(list.done), terminator: "")
    }

    static func activityTable(_ activities: [Activity]) -> String {
        var table = TextTable(["ID", "KIND", "WHEN", "SUBJECT", "CONTACT", "ASSIGNEE", "PROJECT"])
        for activity in activities {
            let when = activity.completedAt ?? activity.dueDate ?? activity.startsAt ?? activity.createdAt
            table.append([
                String(activity.id), "\(activity.kind)", timestamp(when, zone: activity.timeZone), activity.subject,
                describe(activity.contact),
                activity.assignee?.name ?? "-", activity.projectName ?? "-",
            ])
        }
        return table.render()
    }

    func history(_ entries: [HistoryEntry]) throws {
        guard format == .table else { return try printJSON(entries) }
        var table = TextTable(["WHEN", "WHO", "ACTION", "CHANGES"])
        for entry in entries {
            var action = entry.action
            if entry.contact?.deleted == true {
                action += " (Contact deleted)"
            }
            if let source = entry.source {
                action += " [\(source)]"
            }
            let changes = entry.changes.map { change in
                change.erased
                    ? "\(change.field): erased"
                    : "\(change.field): \(change.oldValue ?? "-") -> \(change.newValue ?? "-")"
            }
            // A change a trusted service made for a person names both.
            let who = entry.via.map { "\(entry.by.name) via \($0.name)" } ?? entry.by.name
            table.append([Self.timestamp(entry.at), who, action, changes.joined(separator: "; ")])
        }
        print(table.render(), terminator: "")
    }

    /// The contact-information tab as a readable card.
    func card(_ card: CustomerCard) throws {
        guard format == .table else { return try printJSON(card) }
        try customer(card.customer)
        guard let tab = card.contactInformation, !card.customer.isDeleted else { return }
        let segments = tab.segments.isEmpty ? "-" : tab.segments.map(\.pathText).joined(separator: "; ")
        print("segments         \(TerminalText.escaped(segments))")
        print("\nADDRESSES")
        if tab.addresses.isEmpty { print("  none") } else { try addresses(tab.addresses) }
        print("\nCONTACTS")
        if tab.contacts.isEmpty { print("  none") } else { try contacts(tab.contacts) }
        print("\nACTIVITIES")
        try activities(tab.activities)
    }
}
