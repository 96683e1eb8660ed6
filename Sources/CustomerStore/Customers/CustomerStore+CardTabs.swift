import Foundation

extension CustomerStore {
    /// The asked-for tabs of a customer's card in ONE read transaction (a consistent snapshot).
    ///
    /// A fixed number of indexed statements whatever the number of projects, tasks, notes or
    /// forecasts (no N+1): the customer (1, with whether it has segments and projects), contact
    /// information (3; 4 when a contact has labels, 5 when the customer has segments), sales and
    /// projects (1), collaboration (1), financial (1), settings (1, 2 with segments), files (2).
    ///
    /// - Parameters:
    ///   - from: first month (YYYY-MM) of the financial tab; nil = from the first forecast.
    ///   - to: last month (YYYY-MM) of the financial tab; nil = to the last forecast.
    /// - Throws: `notFound` (customer); `invalidArgument` on `from` / `to` as `financialSummary`.
    public func cardTabs(customerID: Int64, now: Date, tabs: Set<CardTabSelection>, from: String? = nil,
                         to: String? = nil) throws -> CardTabs<StoredCustomer> {
        try cardTabs(customerID: customerID, now: now, tabs: AskedCardTabs(tabs), from: from, to: to)
    }

    /// `cardTabs(customerID:now:tabs:from:to:)` with the tabs as flags (a server's, made from its request).
    public func cardTabs(customerID: Int64, now: Date, tabs: AskedCardTabs, from: String? = nil,
                         to: String? = nil) throws -> CardTabs<StoredCustomer> {
        try readCardTabs(customerID: customerID, now: now, tabs: tabs, from: from, to: to) { try $0.stored() }
    }

    /// `cardTabs(customerID:now:tabs:from:to:)` with the customer lent to `body` as its row (see
    /// ``CustomerListingRow``, head office included) instead of made into a `StoredCustomer`: a
    /// server writes the card's customer from it, as it writes a get's (~20 000 instructions a
    /// card less, docs/performance/HISTORY.md "cardrow12"). `body` runs once, inside the read
    /// transaction, before any tab is read, and keeps nothing (the tabs' `customer` is `()`).
    ///
    /// With `activity`, the contact tab's activities are lent to it too, each as its row while it
    /// is stepped (in no order), instead of decoded into records: the tab's `activities` is then
    /// empty and the tabs' `lentActivityOrder` lists the lent rows' positions in the list's
    /// order (see `ActivityRow.list(_:customerID:now:withProjectTasks:users:lending:)`).
    ///
    /// With `contact`, the contact tab's contacts are lent to it the same way, but in the list's
    /// order (`ContactRow.list(_:customerID:users:lending:)`), all of them before any activity:
    /// the tab's `contacts` is then empty.
    ///
    /// Not generic over what `body` returns (a caller that is lent the row writes it and keeps
    /// nothing): called from another module, the generic read ran unspecialized and looked up the
    /// metadata of its `CardTabs<Customer>` in the runtime's cache three times a card (~2 400
    /// instructions, callgrind, docs/performance/HISTORY.md "card21"); here it is specialized.
    public func cardTabs(customerID: Int64, now: Date, tabs: AskedCardTabs, from: String? = nil,
                         to: String? = nil,
                         lendingCustomer body: (CustomerListingRow) throws -> Void,
                         lendingContact contact: ((ContactListingRow) throws -> Void)? = nil,
                         lendingActivity activity: ((ActivityListingRow) throws -> Void)? = nil) throws
        -> CardTabs<Void> {
        try readCardTabs(customerID: customerID, now: now, tabs: tabs, from: from, to: to, lendingCustomer: body,
                         lendingContact: contact, lendingActivity: activity)
    }

    /// Both `cardTabs`: the customer made by `body` from its row.
    private func readCardTabs<Customer>(customerID: Int64, now: Date, tabs asked: AskedCardTabs, from: String?,
                                        to: String?,
                                        lendingCustomer body: (CustomerListingRow) throws -> Customer,
                                        lendingContact contact: ((ContactListingRow) throws -> Void)? = nil,
                                        lendingActivity activity: ((ActivityListingRow) throws -> Void)? = nil) throws
        -> CardTabs<Customer> {
        // Checked whatever the tabs asked: a month the summary refuses is refused here too, not
        // echoed back in the financial tab (or dropped when the tab is not read).
        let months = try Self.summaryMonths(from: from, to: to)
        return try read { connection in
            let users = UserNames(connection)
            var read = CardCustomer(id: customerID)
            guard let customer = try CardCustomer.fetch(connection, id: customerID, users: users, into: &read,
                                                        lending: body) else {
                throw try Self.missingCustomer(connection, id: customerID)
            }
            var card = CardTabs(customer: customer)
            if asked.contactInformation {
                var order: [Int]?
                let hasProject = read.hasProject
                card.contactInformation = try Self.contactInformation(connection, of: &read, users: users, contacts: {
                    guard let contact else {
                        return try ContactRow.fetchAll(connection, customerID: customerID, includeDeactivated: false,
                                                       users: users)
                    }
                    try ContactRow.list(connection, customerID: customerID, users: users, lending: contact)
                    return []
                }, activities: {
                    guard let activity else {
                        return try ActivityRow.list(connection, customerID: customerID, now: now.milliseconds,
                                                    withProjectTasks: hasProject, users: users)
                    }
                    order = try ActivityRow.list(connection, customerID: customerID, now: now.milliseconds,
                                                 withProjectTasks: hasProject, users: users, lending: activity)
                    return StoredActivityList(planned: [], done: [])
                })
                card.lentActivityOrder = order
            }
            if asked.salesAndProjects {
                card.salesAndProjects = try ProjectRow.salesAndProjects(connection, customerID: customerID, users: users)
            }
            if asked.collaboration {
                card.collaboration = try ProjectTaskRow.collaboration(connection, customerID: customerID, users: users)
            }
            if asked.financial {
                card.financial = try ForecastRow.summary(connection, customerID: customerID, from: months.from,
                                                         to: months.to)
            }
            if asked.settings {
                card.settings = (try Self.fetchSettings(connection, customerID: customerID, users: users),
                                 try SegmentTree.ofCustomer(connection, customerID: customerID, hasSegment: read.hasSegment))
            }
            if asked.files {
                card.files = (try AttachmentRow.files(connection, key: customerID, byCustomer: true, users: users),
                              try AttachmentRow.links(connection, key: customerID, byCustomer: true, users: users))
            }
            return card
        }
    }
}
