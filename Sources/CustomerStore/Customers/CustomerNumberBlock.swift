import SQLiteEngine

/// Automatic customer numbers for a bulk import: the run of free numbers above the sequence is
/// found with one walk (as `nextNumber` walks for one create) and handed out from memory, the
/// sequence written once at the end; a new walk only when the run is used up or a number people
/// gave cuts it short. Same numbers as one create after another would take.
struct CustomerNumberBlock {
    /// The last number handed out (the sequence's `last_number` as the import goes).
    private var last: Int64
    private let lastAtStart: Int64
    /// Numbers known to be free and not handed out; empty: walk before the next one.
    private var free: Range<Int64> = 0..<0

    init(_ connection: SQLiteConnection) throws {
        last = try connection.withStatement("SELECT last_number FROM customer_number_sequence WHERE singleton = 1") {
            try $0.step() ? $0.int64(0) : 10_000
        }
        lastAtStart = last
    }

    /// The number the next row without one gets (taken only by ``took(_:)``, so a refused row
    /// uses up nothing).
    /// - Throws: `resourceExhausted` once every number of `CustomerNumber.range` above the sequence is taken.
    mutating func next(_ connection: SQLiteConnection) throws -> Int64 {
        if free.isEmpty { free = try Self.freeRun(connection, above: last) }
        return free.lowerBound
    }

    /// Whether ``next(_:)`` reads the table first (for the next run of free numbers).
    var needsWalk: Bool { free.isEmpty }

    /// A row was written with `number` from ``next(_:)``.
    mutating func took(_ number: Int64) {
        last = number
        free = min(number + 1, free.upperBound)..<free.upperBound
    }

    /// A row was written with a number people gave: no longer free.
    mutating func given(_ number: Int64) {
        if free.contains(number) { free = free.lowerBound..<number }
    }

    /// Writes the sequence, when numbers were handed out.
    func finish(_ connection: SQLiteConnection) throws {
        guard last != lastAtStart else { return }
        try connection.run("UPDATE customer_number_sequence SET last_number = ? WHERE singleton = 1", [.integer(last)])
    }

    /// The free numbers from the first one above `last` that no customer has and none had
    /// (`retired_customer_numbers`) up to the next taken one.
    ///
    /// Usually nothing above `last` is taken (numbers people gave are rare), so one statement of
    /// two index seeks answers; only when the number right above is taken does it walk the taken
    /// run. The walk (a UNION, sorted) built an ephemeral table for every create: ~15 000
    /// instructions of a create's ~250 000 (callgrind).
    private static func freeRun(_ connection: SQLiteConnection, above last: Int64) throws -> Range<Int64> {
        let bound = CustomerNumber.range.upperBound
        let candidate = max(last, CustomerNumber.range.lowerBound - 1)
        guard candidate < bound else { throw exhausted(bound) }
        let next = try connection.withStatement("""
            SELECT (SELECT min(number) FROM customers WHERE number > ?1),
                   (SELECT min(number) FROM retired_customer_numbers WHERE number > ?1)
            """) { statement -> Int64? in
            try statement.bind(candidate, at: 1)
            guard try statement.step() else { return nil }
            switch (statement.optionalInt64(0), statement.optionalInt64(1)) {
            case let (customer?, retired?): return min(customer, retired)
            case let (customer, retired): return customer ?? retired
            }
        }
        guard let next else { return (candidate + 1)..<(bound + 1) }
        if next > candidate + 1 { return (candidate + 1)..<min(next, bound + 1) }
        return try walk(connection, above: candidate, bound: bound)
    }

    /// `freeRun` past a run of taken numbers: reads the taken numbers above `candidate` in order
    /// up to the first gap.
    private static func walk(_ connection: SQLiteConnection, above start: Int64, bound: Int64) throws -> Range<Int64> {
        var candidate = start
        var end = bound + 1
        try connection.withStatement("""
            SELECT number FROM customers WHERE number > ?1
            UNION SELECT number FROM retired_customer_numbers WHERE number > ?1
            ORDER BY 1
            """) { statement in
            try statement.bind(candidate, at: 1)
            while candidate < bound, try statement.step() {
                let taken = statement.int64(0)
                guard taken == candidate + 1 else {
                    end = min(taken, bound + 1)
                    break
                }
                candidate = taken
            }
        }
        guard candidate < bound else { throw exhausted(bound) }
        return (candidate + 1)..<end
    }

    private static func exhausted(_ bound: Int64) -> StoreError {
        StoreError.resourceExhausted("every customer number up to \(bound) is taken")
    }
}
