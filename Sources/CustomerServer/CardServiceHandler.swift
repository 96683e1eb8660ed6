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
            try Self.encodedCard(of: request.customerId, tabs: request.tabs, from: request.from, to: request.to,
                                 for: try Caller.of(context), store: store)
        })
    }
}

extension CardServiceHandler {
    /// The card's bytes as `BinaryEncoder.encode` writes `card(of:…)` (CardEncodingTests compares
    /// the two), its contact-information tab written straight from the store's records (see
    /// StoredContactInformation+Encoding.swift), the card's own fields by its `encodeFields`, and
    /// into one buffer that holds a usual card: the bench's (contact tab: 2 addresses, 3 contacts,
    /// 5 activities) is ~1.3 KB, which grew from encode's 512 bytes twice.
    static func encodedCard(of customerID: Int64, tabs: [CardTab], from: String?, to: String?, for caller: Caller,
                            store: CustomerStore) throws -> EncodedMessage<CustomerCard> {
        var (stored, financialHidden) = try storedTabs(of: customerID, tabs: tabs, from: from, to: to, for: caller,
                                                       store: store)
        let information = stored.contactInformation
        stored.contactInformation = nil
        let card = card(of: stored, financialHidden: financialHidden, for: caller)
        return try BinaryEncoder().encodeFields(of: CustomerCard.self, capacity: 4096) { writer in
            guard let information else { return try card.encodeFields(to: &writer) }
            try card.encodeFields(to: &writer) { try information.encodeFields(to: &$0) }
        }
    }

    /// The card with the `tabs` asked for (every tab when empty), as `caller` may see it; also
    /// the core of the customer dossier.
    static func card(of customerID: Int64, tabs: [CardTab], from: String?, to: String?, for caller: Caller,
                     store: CustomerStore) throws -> CustomerCard {
        let (stored, financialHidden) = try storedTabs(of: customerID, tabs: tabs, from: from, to: to, for: caller,
                                                       store: store)
        return card(of: stored, financialHidden: financialHidden, for: caller)
    }

    /// The store's tabs of the card as `caller` may see them, in one snapshot; `financialHidden`
    /// when the financial tab was asked for but not read.
    private static func storedTabs(of customerID: Int64, tabs: [CardTab], from: String?, to: String?,
                                   for caller: Caller, store: CustomerStore) throws
        -> (tabs: CardTabs, financialHidden: Bool) {
        var asked = tabs.isEmpty ? Set(CardTab.allCases) : Set(tabs)
        // Without the financial-figures right the financial tab is not even read: it is
        // absent and marked hidden, and the money fields elsewhere are stripped.
        let financialHidden = asked.contains(.financial) && !caller.financialFiguresVisible
        if financialHidden {
            asked.remove(.financial)
        }
        let stored = try store.cardTabs(
            customerID: customerID, now: Date(), tabs: Set(asked.map(\.stored)), from: from, to: to)
        return (stored, financialHidden)
    }

    /// The API's card of the store's tabs.
    private static func card(of tabs: CardTabs, financialHidden: Bool, for caller: Caller) -> CustomerCard {
        var card = CustomerCard(customer: Customer(tabs.customer))
        if let information = tabs.contactInformation {
            card.contactInformation = ContactInformation(
                addresses: information.addresses.map(Address.init),
                contacts: information.contacts.map(Contact.init),
                activities: ActivityList(information.activities),
                segments: information.segments.map(Segment.init))
        }
        if let sales = tabs.salesAndProjects {
            card.salesAndProjects = ProjectList(
                projects: caller.shown((sales.salesCases + sales.projects).map(Project.init)))
        }
        if let items = tabs.collaboration {
            card.collaboration = CollaborationTab(items: items.map(CollaborationItem.init))
        }
        if let financial = tabs.financial {
            card.financial = CustomerAPI.FinancialTab(financial)
        }
        if let settings = tabs.settings {
            card.settings = SettingsTab(
                settings: CustomerSettings(settings.settings),
                segments: settings.segments.map(Segment.init))
        }
        if let files = tabs.files {
            card.files = FilesTab(files: files.files, links: files.links)
        }
        if financialHidden {
            card.financialHidden = true
        }
        return card
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
