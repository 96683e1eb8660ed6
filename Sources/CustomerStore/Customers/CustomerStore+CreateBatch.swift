import SQLiteEngine

/// A create in a group of several: checked against the table and the group's queued creates, its
/// rows queued in `createBatch` and written with theirs (`CustomerCreateBatch`, `GroupBatch`).
extension CustomerStore {
    /// Whether a create with these fields joins the writer's batch: one without a number of its
    /// own, through the pooled store (inside a keyed write rows are written where they are made).
    /// A number people gave is checked by the customers' UNIQUE index, which in the batch's
    /// INSERT would fail every create of the group: such a create runs after the batch is written.
    func joinsCreateBatch(_ fields: StoredCustomerFields) -> Bool {
        access == .pooled && fields.number == nil
    }

    /// The body of a create: queued in the batch while the writer has it collect (a create that
    /// joins it, in a group with others), otherwise written at once (`insertRecord`).
    func insertOrQueue(_ connection: SQLiteConnection, _ prepared: PreparedCustomer,
                       allowDuplicateVAT: Bool, by author: Author) throws -> CreatedCustomer {
        guard createBatch.collects else {
            return try insertRecord(connection, prepared, allowDuplicateVAT: allowDuplicateVAT, by: author)
        }
        return try queueCreate(connection, prepared, allowDuplicateVAT: allowDuplicateVAT, by: author)
    }

    /// `insertRecord` for a create in a group: the same checks, against the table and the group's
    /// batch, in the same order, then its rows queued in `createBatch`, which the writer writes
    /// with the group's other creates before COMMIT. Queueing is its last step and its only
    /// change: a refused create queued nothing, and its group goes on.
    /// - Returns: what the record as it will be written is made of (see `insertRecord`).
    func queueCreate(_ connection: SQLiteConnection, _ prepared: PreparedCustomer,
                     allowDuplicateVAT: Bool, by author: Author) throws -> CreatedCustomer {
        let batch = createBatch
        let names = try checkCreate(connection, prepared, allowDuplicateVAT: allowDuplicateVAT, by: author, queuedIn: batch)
        let number = try batch.nextNumber(connection)
        let id = try batch.nextID(connection)
        let created = CreatedCustomer(id: id, number: number, at: nowMilliseconds(), names: names)
        batch.queue(created, prepared, by: author)
        return created
    }
}
