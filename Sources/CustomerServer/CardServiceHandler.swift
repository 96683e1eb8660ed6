import BinaryCoding
import CustomerAPI
import CustomerStore
import Foundation
import RPCServing

/// Serves `customer.v1.CardService`: the tabs asked for, read in one store snapshot.
struct CardServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(CardService.getCustomerCard, requires: .customers(.read, customer: \.customerId), encoding: {
            request, context in
            try RepeatedFieldCap.check(request.tabs.count, field: "tabs")
            return try Self.encodedCard(of: request.customerId, tabs: request.tabs, from: request.from, to: request.to,
                                 for: try Caller.of(context), store: store)
        })
    }
}

extension CardServiceHandler {
    /// The card's bytes as `BinaryEncoder.encode` writes `card(of:…)` (CardEncodingTests compares
    /// the two), into one buffer that holds a usual card: the bench's (contact tab: 2 addresses, 3
    /// contacts, 5 activities) is ~1.3 KB, which grew from encode's 512 bytes twice. The customer
    /// is written from the store's row as a get's is (CustomerListingRow+Encoding.swift), while
    /// the read lends it, before the tabs are read; the contact-information tab from the store's
    /// records, its contacts and activities from their rows as the read lends them
    /// (StoredContactInformation+Encoding.swift); the other tabs as the card's messages.
    static func encodedCard(of customerID: Int64, tabs: [CardTab], from: String?, to: String?, for caller: Caller,
                            store: CustomerStore) throws -> EncodedMessage<CustomerCard> {
        let (asked, financialHidden) = askedTabs(tabs, for: caller)
        return try BinaryEncoder().encodeFields(of: CustomerCard.self, capacity: 4096) { writer in
            var lent = LentRows()
            var stored = try store.cardTabs(customerID: customerID, now: Date(), tabs: asked, from: from, to: to,
                                            lendingCustomer: { row in
                try writer.writeMessage(CustomerCard.CodingKeys.customer) { try row.encodeCustomer(to: &$0) }
            }, lendingContact: { try lent.write($0) }, lendingActivity: { try lent.write($0) })
            try caller.showVisible(&stored, in: store)
            // The contact tab written here, before `encodeTabs` writes the others: handed to it
            // as a closure, the closure escaped (its context and the captured `lent` were two
            // allocations a card; docs/performance/HISTORY.md "serve33").
            if let information = stored.contactInformation {
                let order = stored.lentActivityOrder ?? []
                try writer.writeMessage(CustomerCard.CodingKeys.contactInformation) {
                    try information.encodeFields(to: &$0, contacts: { try lent.encodeContactFields(to: &$0) }) {
                        try lent.encodeListFields(to: &$0, order: order)
                    }
                }
            }
            try CustomerCard.encodeTabs(
                to: &writer,
                salesAndProjects: stored.salesAndProjectsTab(for: caller), collaboration: stored.collaborationTab,
                financial: stored.financialTab, settings: stored.settingsTab, files: stored.filesTab,
                financialHidden: financialHidden ? true : nil)
        }
    }

    /// The card with the `tabs` asked for (every tab when empty), as `caller` may see it; also
    /// the core of the customer dossier.
    static func card(of customerID: Int64, tabs: [CardTab], from: String?, to: String?, for caller: Caller,
                     store: CustomerStore) throws -> CustomerCard {
        let (asked, financialHidden) = askedTabs(tabs, for: caller)
        var stored = try store.cardTabs(customerID: customerID, now: Date(), tabs: asked, from: from, to: to)
        try caller.showVisible(&stored, in: store)
        return CustomerCard(
            customer: Customer(stored.customer),
            contactInformation: stored.contactInformation.map { information in
                ContactInformation(
                    addresses: information.addresses.map(Address.init),
                    contacts: information.contacts.map(Contact.init),
                    activities: ActivityList(information.activities),
                    segments: information.segments.map(Segment.init))
            },
            salesAndProjects: stored.salesAndProjectsTab(for: caller), collaboration: stored.collaborationTab,
            financial: stored.financialTab, settings: stored.settingsTab, files: stored.filesTab,
            financialHidden: financialHidden ? true : nil)
    }

    /// The store's tabs to read for `tabs` (every tab when empty) as `caller` may see them;
    /// `financialHidden` when the financial tab was asked for but may not be read.
    ///
    /// The store's flags set straight from the request: a set of the request's tabs first, then
    /// mapped, was a second set's storage, its generic metadata looked up at run time, and a hash
    /// of each tab again (~1 000 instructions a card, docs/performance/HISTORY.md "card21"); the
    /// one set left cost ~1 000 more (`AskedCardTabs`, docs/performance/HISTORY.md "serve32").
    private static func askedTabs(_ tabs: [CardTab], for caller: Caller)
        -> (tabs: AskedCardTabs, financialHidden: Bool) {
        var asked = AskedCardTabs()
        for tab in tabs.isEmpty ? CardTab.allCases : tabs {
            asked.insert(tab.stored)
        }
        // Without the financial-figures right the financial tab is not even read: it is
        // absent and marked hidden, and the money fields elsewhere are stripped.
        let financialHidden = asked.financial && !caller.financialFiguresVisible
        if financialHidden {
            asked.financial = false
        }
        return (asked, financialHidden)
    }
}

extension CardTab {
    var stored: CardTabSelection {
        switch self {
        case .contactInformation: return .contactInformation
        case .salesAndProjects: return .salesAndProjects
        case .collaboration: return .collaboration
        case .financial: return .financial
        case .settings: return .settings
        case .files: return .files
        }
    }
}
