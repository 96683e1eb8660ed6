import Foundation
import RPCCore

/// `customer.v1.DossierService`: everything stored about one customer or one person, in one
/// message (the answer to a data-subject access request). Permissions apply as for reading: money
/// stays hidden without the Financial figures right.
public enum DossierService {
    public static let name = "customer.v1.DossierService"

    public static let getCustomerDossier = UnaryMethod<CustomerIDRequest, CustomerDossier>(
        service: name, method: "GetCustomerDossier",
        summary: "The customer card with every tab, every contact (deactivated too), every invoice with its snapshot, and the history of the customer and its records.")
    public static let getContactDossier = UnaryMethod<ContactIDRequest, ContactDossier>(
        service: name, method: "GetContactDossier",
        summary: "The person, their customer, the activities and invoices that name them, and the history of their record.")
}

/// Everything stored about one customer.
public struct CustomerDossier: Codable, Sendable, Hashable {
    /// Every tab of the card (fields, addresses, active contacts, activities, sales cases and
    /// projects, collaboration, financial figures unless hidden, settings, files' metadata and links).
    public var card: CustomerCard
    /// Every contact person, deactivated ones too.
    public var contacts: [Contact]
    /// Every invoice with what it said when issued (money hidden without the right).
    public var invoices: [Invoice]
    /// The changes to the customer, its addresses and contacts, and (with the Financial figures
    /// right) its projects and invoices, oldest first.
    public var history: [HistoryEntry]
    public var generatedAt: Date

    public init(card: CustomerCard, contacts: [Contact], invoices: [Invoice], history: [HistoryEntry], generatedAt: Date) {
        self.card = card
        self.contacts = contacts
        self.invoices = invoices
        self.history = history
        self.generatedAt = generatedAt
    }

    enum CodingKeys: Int, CodingKey { case card = 1, contacts = 2, invoices = 3, history = 4, generatedAt = 5 }
}

/// Everything stored about one contact person.
public struct ContactDossier: Codable, Sendable, Hashable {
    public var contact: Contact
    /// The customer the person belongs to.
    public var customer: Customer
    /// The customer's activities that name this person.
    public var activities: [Activity]
    /// The invoices addressed to this person (money hidden without the right).
    public var invoices: [Invoice]
    /// The changes to the person's record, oldest first.
    public var history: [HistoryEntry]
    public var generatedAt: Date

    public init(contact: Contact, customer: Customer, activities: [Activity], invoices: [Invoice],
                history: [HistoryEntry], generatedAt: Date) {
        self.contact = contact
        self.customer = customer
        self.activities = activities
        self.invoices = invoices
        self.history = history
        self.generatedAt = generatedAt
    }

    enum CodingKeys: Int, CodingKey {
        case contact = 1, customer = 2, activities = 3, invoices = 4, history = 5, generatedAt = 6
    }
}
