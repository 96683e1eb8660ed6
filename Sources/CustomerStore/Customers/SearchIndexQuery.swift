import SQLiteEngine

/// A search asked of the trigram index `customer_search` (migration 29): the customers whose
/// indexed text holds every trigram of one of its terms, and every customer a history entry after
/// the index's mark names (written since the index last followed: `SearchIndexer`). A superset of
/// those whose text holds the term (the index folds case as it tokenizes, knows no trigram's
/// place, and may hold a text a customer had before), so the listing keeps its `LIKE` on the row
/// as it is now and the index only spares it the rows that cannot match: the scan's answer,
/// whatever the index's lag.
struct SearchIndexQuery {
    /// The FTS5 query: each term's trigrams, each a quoted string, all required; terms as alternatives.
    let match: String

    /// The trigram tokenizer's token, in code points (SQLite's LIKE and FTS5 count code points,
    /// not Swift's characters).
    static let trigramLength = 3

    /// The most candidates the index may give for the listing to read them by rowid and sort them
    /// (see ``isSelective(_:)``): each costs a row lookup, its LIKE and its place in the sort.
    static let candidateLimit = 1_000

    /// `nil` when a term is shorter than a trigram: the index holds nothing to ask, the scan stays.
    init?(terms: [String]) {
        var alternatives: [String] = []
        for term in terms {
            let scalars = Array(term.unicodeScalars)
            guard scalars.count >= Self.trigramLength else { return nil }
            var seen = Set<String>()
            var trigrams: [String] = []
            for start in 0...(scalars.count - Self.trigramLength) {
                var trigram = String.UnicodeScalarView()
                trigram.append(contentsOf: scalars[start..<(start + Self.trigramLength)])
                let text = String(trigram)
                // In an FTS5 string only `"` is special, written twice; `%`, `_`, `\` are letters.
                if seen.insert(text).inserted { trigrams.append("\"" + text.replacing("\"", with: "\"\"") + "\"") }
            }
            alternatives.append("(" + trigrams.joined(separator: " AND ") + ")")
        }
        guard !alternatives.isEmpty else { return nil }
        match = alternatives.joined(separator: " OR ")
    }

    /// The candidates: the index's, and the customers written since its mark (read in the same
    /// snapshot as the index, so the two meet exactly).
    private static let candidates = """
        SELECT rowid FROM customer_search WHERE customer_search MATCH ?
        UNION SELECT customer_id FROM history WHERE id > (SELECT indexed_through FROM customer_search_state)
        """

    /// The condition on `customers c` that keeps the candidates, and its value.
    var condition: (sql: String, value: SQLValue) {
        ("c.id IN (\(Self.candidates))", .text(match))
    }

    /// Whether there are at most ``candidateLimit`` candidates: then the listing reads
    /// those by rowid and sorts them. Otherwise the term is common, and the listing walks its
    /// order's index, testing each row's LIKE, and stops at the page's end, long before a whole
    /// scan (and so does an index far behind its writes). Counting stops at the limit too.
    func isSelective(_ connection: SQLiteConnection) throws -> Bool {
        try connection.withStatement("""
            SELECT count(*) FROM (\(Self.candidates) LIMIT ?)
            """) { statement in
            try statement.bind([.text(match), .integer(Int64(Self.candidateLimit) + 1)])
            return try statement.step() && statement.int64(0) <= Int64(Self.candidateLimit)
        }
    }
}
