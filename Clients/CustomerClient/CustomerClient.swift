@_exported import CustomerAPI
@_exported import RPCClient

/// A typed client of the customer service over one multiplexed connection.
///
/// ```swift
/// let client = CustomerClient()                       // the default socket, as customerd uses
/// let created = try await client.customers.create(CustomerFields(name: "Acme Oy", country: "FI"))
/// let page = try await client.customers.list(CustomerQuery(search: "acme"))
/// for try await customer in client.customers.stream() { ... }
/// ```
///
/// Every failure is an `RPCError` carrying the status code, a message and field details
/// (`error.details`, e.g. `field: "email"`). Calls may run concurrently from many tasks; after a
/// server restart the next call reconnects.
///
/// A trusted service acting for a person passes `options: .acting(for: "alice")` to any call:
/// the call is checked, and recorded in the history, as that person.
public final class CustomerClient: Sendable {
    public let channel: ClientChannel
    public let customers: Customers
    public let users: Users
    public let profiles: Profiles
    public let addresses: Addresses
    public let contacts: Contacts
    public let labels: Labels
    public let activities: Activities
    public let history: History
    public let changes: Changes
    public let cards: Cards
    public let projects: Projects
    public let settings: Settings
    public let files: Files
    public let invoices: Invoices
    public let maintenance: Maintenance
    public let server: Server

    /// - Parameter socketPath: the server's socket; default (nil): the same rule customerd uses
    ///   (`CUSTOMER_SOCKET`, then `$XDG_RUNTIME_DIR/customercard/customerd.sock`, then `/tmp/customercard-UID/`).
    ///   A default socket that `CUSTOMER_SOCKET` does not name is the user's own: a server there
    ///   running as another OS user (not root) is refused `UNAVAILABLE` before anything is sent.
    public convenience init(socketPath: String? = nil, configuration: ClientConfiguration = ClientConfiguration()) {
        self.init(channel: .customer(socketPath: socketPath, configuration: configuration))
    }

    /// A client over a channel built by the caller (e.g. one connected in process).
    package init(channel: ClientChannel) {
        self.channel = channel
        self.customers = Customers(channel: channel)
        self.users = Users(channel: channel)
        self.profiles = Profiles(channel: channel)
        self.addresses = Addresses(channel: channel)
        self.contacts = Contacts(channel: channel)
        self.labels = Labels(channel: channel)
        self.activities = Activities(channel: channel)
        self.history = History(channel: channel)
        self.changes = Changes(channel: channel)
        self.cards = Cards(channel: channel)
        self.projects = Projects(channel: channel)
        self.settings = Settings(channel: channel)
        self.files = Files(channel: channel)
        self.invoices = Invoices(channel: channel)
        self.maintenance = Maintenance(channel: channel)
        self.server = Server(channel: channel)
    }

    /// Closes the connection; calls after this fail with UNAVAILABLE.
    public func close() {
        channel.close()
    }
}
