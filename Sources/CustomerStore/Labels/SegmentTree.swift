import SQLiteEngine

/// The SQL that reads the segment tree with each segment's path, and its decoding.
enum SegmentTree {
    /// Joins path names in SQL; a control character, which names may not contain, so it splits back exactly.
    static let separator: Character = "\u{1F}"

    /// Every segment with its path, built top-down by a recursive CTE (SQLite docs, "The WITH
    /// Clause", 3.2). `UNION` rather than `UNION ALL` ends the walk even on a damaged tree with a cycle.
    /// Ordered by path, case-insensitively, so sub-segments follow their parent.
    static let withTree = """
        WITH RECURSIVE tree(id, parent_id, name, path) AS (
            SELECT id, parent_id, name, name FROM segments WHERE parent_id IS NULL
            UNION
            SELECT s.id, s.parent_id, s.name, tree.path || char(31) || s.name FROM segments s JOIN tree ON s.parent_id = tree.id
        )
        """
    private static let columns = """
        t.id, t.parent_id, t.name, t.path,
        (SELECT count(*) FROM customer_segments cs WHERE cs.segment_id = t.id) AS customer_count
        """
    static let all = withTree + " SELECT \(columns) FROM tree t ORDER BY t.path COLLATE NOCASE, t.id"
    static let byID = withTree + " SELECT \(columns) FROM tree t WHERE t.id = ?"
    /// Whether customer `?` has a segment: checked before `ofCustomer`, whose recursive walk and
    /// sort cost ~46 000 instructions even when there is nothing to walk (callgrind, a card of a
    /// customer with no segment), where this probe of the primary key costs a few thousand.
    private static let customerHasSegment = "SELECT EXISTS (SELECT 1 FROM customer_segments WHERE customer_id = ?)"
    /// A customer's segments, each walked up to its root for its path: the same rows as the
    /// whole tree joined to the customer's segments, without building the tree on every read
    /// (~70 000 instructions per card under callgrind, with no segment at all). A segment whose
    /// walk never reaches a root (a damaged tree with a cycle) is left out, as the tree leaves it
    /// out; the walk stops after as many steps as there are segments, so a cycle cannot run on.
    private static let ofCustomer = """
        WITH RECURSIVE up(segment_id, parent_id, path, steps) AS (
            SELECT s.id, s.parent_id, s.name, 0 FROM customer_segments c JOIN segments s ON s.id = c.segment_id
            WHERE c.customer_id = ?
            UNION ALL
            SELECT up.segment_id, p.parent_id, p.name || char(31) || up.path, up.steps + 1
            FROM up JOIN segments p ON p.id = up.parent_id
            WHERE up.steps < (SELECT count(*) FROM segments)
        ),
        tree(id, parent_id, name, path) AS (
            SELECT s.id, s.parent_id, s.name, up.path FROM up JOIN segments s ON s.id = up.segment_id
            WHERE up.parent_id IS NULL
        )
        SELECT \(columns) FROM tree t ORDER BY t.path COLLATE NOCASE, t.id
        """
    /// 1 when segment ?2 is segment ?1 or one of its ancestors: walking up from the new parent ?1
    /// reaches the moved segment ?2 exactly when the move would close a cycle.
    static let isSelfOrAncestor = """
        WITH RECURSIVE up(id) AS (
            SELECT ?1
            UNION
            SELECT s.parent_id FROM segments s JOIN up ON s.id = up.id WHERE s.parent_id IS NOT NULL
        )
        SELECT EXISTS (SELECT 1 FROM up WHERE id = ?2)
        """

    static func decode(_ statement: SQLiteStatement) throws -> StoredSegment {
        StoredSegment(id: try statement.int64("id"), parentID: try statement.optionalInt64("parent_id"), name: try statement.text("name"),
                path: try statement.text("path").split(separator: separator, omittingEmptySubsequences: false).map(String.init),
                customerCount: try statement.int64("customer_count"))
    }

    /// The segments of customer `customerID`, sorted by path.
    static func ofCustomer(_ connection: SQLiteConnection, customerID: Int64) throws -> [StoredSegment] {
        let hasSegment = try connection.withStatement(customerHasSegment) { statement in
            try statement.bind(customerID, at: 1)
            return try statement.step() && statement.int64(0) != 0
        }
        return try ofCustomer(connection, customerID: customerID, hasSegment: hasSegment)
    }

    /// The segments of a customer whose read has already asked whether it has any (the card's,
    /// `CardCustomer`), without the probe.
    static func ofCustomer(_ connection: SQLiteConnection, customerID: Int64, hasSegment: Bool) throws -> [StoredSegment] {
        hasSegment ? try fetch(connection, ofCustomer, key: customerID) : []
    }

    /// Runs one of the statements above (with `key` bound to its `?`, if any) and decodes every row.
    static func fetch(_ connection: SQLiteConnection, _ sql: String, key: Int64? = nil) throws -> [StoredSegment] {
        try connection.withStatement(sql) { statement in
            if let key { try statement.bind(key, at: 1) }
            var segments: [StoredSegment] = []
            while try statement.step() { segments.append(try decode(statement)) }
            return segments
        }
    }
}
