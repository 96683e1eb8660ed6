import CustomerAPI
import CustomerStore
import Foundation
import RPCServing

/// Serves `customer.v1.CardService`: the tabs asked for, read in one store snapshot.
struct CardServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(CardService.getCustomerCard, requires: .customers(.read, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            var asked = request.tabs.isEmpty ? Set(CardTab.allCases) : Set(request.tabs)
            // Without the financial-figures right the financial tab is not even read: it is
            // absent and marked hidden, and the money fields elsewhere are stripped.
            let financialHidden = asked.contains(.financial) && !caller.financialFiguresVisible
            if financialHidden {
                asked.remove(.financial)
            }
            let tabs = try store.cardTabs(
                customerID: request.customerId, now: Date(), tabs: Set(asked.map(\.stored)), from: request.from, to: request.to)
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
