import SQLiteEngine

/// The creates of a group, written together: their customers, match keys and history entries each
/// with one multi-row INSERT and the number sequence moved once (the writer's ``GroupBatch``; see
/// `CustomerStore.queueCreate`).
///
/// A create's checks read the table, so this batch answers for the rows it holds: the ids it gave
/// (the ones SQLite would give, in order), the automatic numbers and the VAT numbers. Only creates
/// without a number of their own join it (one with a number people gave runs as an ordinary
/// write, after the batch is written, and its number is checked by the table's UNIQUE index as
/// before). What it writes is what one `insertRecord` after another writes, in the same order; an
/// import writes its rows the same way (`CustomerImporter`).
///
/// Safety of `@unchecked Sendable`: the store holds it and hands it to its writer, and only the
/// writer's leader uses it, from the bodies it runs and from the writer's own flush and discard,
/// one thread at a time (`GroupBatch`).
///
/// Its stored properties are `@exclusivity(unchecked)`: used by that one thread at a time, and no
/// method of the batch holds an access to one across a call that reaches it again (each `inout`
/// goes to a static of the store that does not see the batch). Why: the run-time checks of their
/// accesses, several for each create queued and each member the writer marks (`collects`), cost
/// the writer's thread, which bounds creates per second, ~700 instructions a create (callgrind,
/// docs/performance/HISTORY.md "create29").
final class CustomerCreateBatch: GroupBatch, @unchecked Sendable {
    @exclusivity(unchecked) var collects = false
    /// `CustomerStore.insertCustomers`' rows, `insertKeys`' and `HistoryLog.insertEntries`', filled in
    /// place (`BoundRows`: no array per row or key, texts copied once and bound where they are).
    @exclusivity(unchecked) private var customers = BoundRows(width: CustomerStore.insertCustomers.valueCount)
    @exclusivity(unchecked) private var matchKeys = BoundRows(width: CustomerStore.insertKeys.valueCount)
    @exclusivity(unchecked) private var history = BoundRows(width: HistoryLog.insertEntries.valueCount)
    /// The id of the first queued customer; the next ones are the rows' in order.
    @exclusivity(unchecked) private var firstID: Int64 = 0
    /// The batch's automatic numbers: read once, written at `flush`; nil until one is needed.
    @exclusivity(unchecked) private var numbers: CustomerNumberBlock?
    /// The first customer the batch holds with each VAT number: what a duplicate's refusal names.
    @exclusivity(unchecked) private var vatNumberHolders: [String: (id: Int64, number: Int64, name: String)] = [:]
    /// The users its creates' checks read (author, account manager), by id, each with what the
    /// author check needs (`AuthorStanding`). Why: a group's creates mostly have one author, and
    /// each read its name (~3 800 of the writer's instructions a create, callgrind). Sound: they go
    /// with the batch's rows (`discard`), which the writer writes before any member that does not
    /// join the batch (a deactivation, a new profile) and drops with a rolled-back group, so they
    /// hold only across creates queued one after another, which change no user (and no statement
    /// of the store renames or removes one).
    @exclusivity(unchecked) private var users: [Int64: AuthorStanding] = [:]

    /// The id the next queued customer gets.
    /// - Throws: `resourceExhausted` past the largest id, as a lone create's INSERT is refused there
    ///   (the sum must not trap).
    func nextID(_ connection: SQLiteConnection) throws -> Int64 {
        if customers.isEmpty { return try connection.nextAutoincrementID(.customers) }
        let (id, overflow) = firstID.addingReportingOverflow(Int64(customers.rowCount))
        guard !overflow else { throw StoreError.resourceExhausted("no customer id is left") }
        return id
    }

    /// The name of the user with this id (`CustomerStore.userName`), read once a group; nil when
    /// no user has it.
    func userName(_ connection: SQLiteConnection, id: Int64) throws -> String? {
        try standing(connection, id: id)?.name
    }

    /// `CustomerStore.actingUserName`, its user read once a group (the check made every create).
    func authorName(_ connection: SQLiteConnection, _ author: Author) throws -> String {
        try CustomerStore.admitted(author) { try standing(connection, id: $0) }
    }

    private func standing(_ connection: SQLiteConnection, id: Int64) throws -> AuthorStanding? {
        if let standing = users[id] { return standing }
        let standing = try AuthorStanding.read(connection, userID: id)
        if let standing { users[id] = standing }
        return standing
    }

    /// The first customer of the batch with `vatNumber`: its id, number and name.
    func holder(ofVATNumber vatNumber: String) -> (id: Int64, number: Int64, name: String)? {
        vatNumberHolders[vatNumber]
    }

    /// The number the next customer gets (taken only by `queue`), as `nextNumber` finds it for one
    /// create: the first above the sequence that no customer has and none had.
    /// - Throws: `resourceExhausted`, as `CustomerNumberBlock.next`.
    func nextNumber(_ connection: SQLiteConnection) throws -> Int64 {
        var block = try numbers ?? CustomerNumberBlock(connection)
        defer { numbers = block }
        return try block.next(connection)
    }

    /// Queues a checked create of `prepared`: its customer row (`CustomerStore.appendInsertValues`
    /// with `created.id`, which must be `nextID`'s, and `created.number`, which must be
    /// `nextNumber`'s), match keys and history entry (`CustomerStore.appendCreatedEntry`).
    func queue(_ created: CreatedCustomer, _ prepared: PreparedCustomer, by author: Author) {
        let fields = prepared.fields
        if customers.isEmpty { firstID = created.id }
        CustomerStore.appendInsertValues(of: fields, number: created.number, industryID: created.names.industryID,
                                         at: created.at, by: author, id: created.id, search: prepared.search, to: &customers)
        CustomerStore.appendKeyRows(prepared.matchKeys ?? CustomerStore.matchKeys(of: fields),
                                    customerID: created.id, to: &matchKeys)
        CustomerStore.appendCreatedEntry(created, prepared, by: author, to: &history)
        numbers?.took(created.number)
        if let vatNumber = fields.vatNumber, vatNumberHolders[vatNumber] == nil {
            vatNumberHolders[vatNumber] = (created.id, created.number, fields.name)
        }
    }

    /// Writes the queued creates as `insertRecord` writes one: customers, then the sequence, the
    /// match keys and the history entries (ids given by SQLite, in order). Its INSERTs are
    /// `INSERT OR ROLLBACK`: every row was checked before it was queued, and when one is refused
    /// all the same the writer fails the whole group (`GroupCommitWriter.commitGroup`), as it did
    /// when the statement alone was undone; SQLite then keeps no statement journal (migration 25).
    /// The keys need no `OR IGNORE`: a customer's keys are distinct (`MatchKey.keys`), its id new.
    func flush(_ connection: SQLiteConnection) throws {
        defer { discard() }
        guard !customers.isEmpty else { return }
        try connection.insertRows(Self.insertCustomers, customers)
        try numbers?.finish(connection)
        try connection.insertRows(Self.insertKeys, matchKeys)
        try HistoryLog.insert(connection, history, using: Self.insertEntries)
    }

    /// The statements of `flush`, of `MultiRowInsert.groupSizes`: a group's rows one statement a table.
    static let insertCustomers = CustomerStore.insertCustomers.rollingBack.inGroupSizes
    static let insertKeys = CustomerStore.insertKeys.rollingBack.inGroupSizes
    static let insertEntries = HistoryLog.insertEntries.rollingBack.inGroupSizes

    /// Keeps the arrays' storage for the next group (not reallocated each group).
    func discard() {
        customers.removeAll()
        matchKeys.removeAll()
        history.removeAll()
        numbers = nil
        vatNumberHolders.removeAll(keepingCapacity: true)
        users.removeAll(keepingCapacity: true)
    }
}
