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
            let card = try Self.card(of: request.customerId, tabs: request.tabs, from: request.from, to: request.to,
                                     for: try Caller.of(context), store: store)
            return try Self.encoded(card)
        })
    }
}

extension CardServiceHandler {
    /// The card's bytes, written by its own `encodeFields` as `BinaryEncoder.encode` would write
    /// them (CardEncodingTests compares the two), without asking the encoder's type table what the
    /// card is, and into one buffer that holds a usual card: the bench's (contact tab: 2 addresses,
    /// 3 contacts, 5 activities) is ~1.3 KB, which grew from encode's 512 bytes twice.
    static func encoded(_ card: CustomerCard) throws -> EncodedMessage<CustomerCard> {
        try BinaryEncoder().encodeFields(of: CustomerCard.self, capacity: 4096) { try card.encodeFields(to: &$0) }
    }
}

extension CardServiceHandler {
    /// The card with the `tabs` asked for (every tab when empty), as `caller` may see it; also
    /// the core of the customer dossier.
    static func card(of customerID: Int64, tabs: [CardTab], from: String?, to: String?, for caller: Caller,
                     store: CustomerStore) throws -> CustomerCard {
        var asked = tabs.isEmpty ? Set(CardTab.allCases) : Set(tabs)
        // Without the financial-figures right the financial tab is not even read: it is
        // absent and marked hidden, and the money fields elsewhere are stripped.
        let financialHidden = asked.contains(.financial) && !caller.financialFiguresVisible
        if financialHidden {
            asked.remove(.financial)
        }
        let tabs = try store.cardTabs(
            customerID: customerID, now: Date(), tabs: Set(asked.map(\.stored)), from: from, to: to)
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
