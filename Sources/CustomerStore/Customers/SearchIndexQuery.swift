import SQLiteEngine

/// A search asked of the trigram index `customer_search` (migration 29): the customers whose
/// indexed text holds every trigram of one of its terms, and the customers a history entry after
/// the index's mark names (written since the index last followed: `SearchIndexer`) whose text
/// holds a term now. A superset of
/// those whose text holds the term (the index folds case as it tokenizes, knows no trigram's
/// place, and may hold a text a customer had before), so the listing keeps its `LIKE` on the row
/// as it is now and the index only spares it the rows that cannot match: the scan's answer,
/// whatever the index's lag.
struct SearchIndexQuery {
    /// The FTS5 query: each term's trigrams, each a quoted string, all required; terms as alternatives.
    let match: String
    /// Each term's LIKE pattern, as the listing tests it, for the customers written since the mark.
    let patterns: [String]

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
        patterns = terms.map(SearchKey.containsPattern)
    }

    /// The candidates: the index's, and the customers written since its mark whose text holds a
    /// term now (read in the same snapshot as the index, so the two meet exactly). The LIKE on
    /// the latter keeps an index far behind (an import not yet followed) selective for a rare
    /// term: each written customer costs a lookup by id and a LIKE, not its place in the sort.
    /// `UNION ALL`: a customer in both counts twice in ``isSelective(_:)``, which only errs
    /// towards the walk; with `UNION` SQLite read every hit of a common term before its LIMIT
    /// (16 ms at 100 000 customers for one matching all, against 0.3–0.7 ms).
    private var candidates: (sql: String, values: [SQLValue]) {
        let written = patterns.map { _ in "w.search_text LIKE ? ESCAPE '\\'" }.joined(separator: " OR ")
        return ("""
            SELECT rowid FROM customer_search WHERE customer_search MATCH ?
            UNION ALL SELECT h.customer_id FROM history h JOIN customers w ON w.id = h.customer_id
            WHERE h.id > (SELECT indexed_through FROM customer_search_state) AND (\(written))
            """, [.text(match)] + patterns.map { .text($0) })
    }

    /// The condition on `customers c` that keeps the candidates, and its values.
    var condition: (sql: String, values: [SQLValue]) {
        let (sql, values) = candidates
        return ("c.id IN (\(sql))", values)
    }

    /// Whether there are at most ``candidateLimit`` candidates: then the listing reads
    /// those by rowid and sorts them. Otherwise the term is common, and the listing walks its
    /// order's index, testing each row's LIKE, and stops at the page's end, long before a whole
    /// scan (and so does an index far behind its writes). Counting stops at the limit too.
    func isSelective(_ connection: SQLiteConnection) throws -> Bool {
        let (sql, values) = candidates
        return try connection.withStatement("SELECT count(*) FROM (\(sql) LIMIT ?)") { statement in
            try statement.bind(values + [.integer(Int64(Self.candidateLimit) + 1)])
            return try statement.step() && statement.int64(0) <= Int64(Self.candidateLimit)
        }
    }
}
