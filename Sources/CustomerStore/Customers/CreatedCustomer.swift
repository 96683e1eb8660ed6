/// What a create's write settled, from which its record is made (`record`): the id and number
/// it was given, when, and the names its checks read.
///
/// Why not the record itself: a `StoredCustomer` made, queued and handed back on the writer's
/// thread, which bounds creates per second, cost it ~1 500 instructions a create in copies of
/// the record's strings, user references and `Date`s (create28's count; callgrind,
/// docs/performance/HISTORY.md "create29"). Made from this by the create's completion, after the
/// COMMIT, it is made where the call is answered, mostly the writer's completion thread.
struct CreatedCustomer: Sendable {
    let id: Int64
    let number: Int64
    /// Created (and updated) at, in milliseconds.
    let at: Int64
    let names: CustomerStore.CheckedNames

    /// The customer as its row was written, of the fields the create was prepared with
    /// (`CustomerStore.createdRecord`).
    func record(_ fields: StoredCustomerFields, by author: Author) -> StoredCustomer {
        CustomerStore.createdRecord(id: id, fields, number: number, names: names, at: at, by: author)
    }
}
