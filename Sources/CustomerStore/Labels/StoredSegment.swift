/// A market segment: a node of the managed segment tree.
public struct StoredSegment: Sendable, Hashable {
    public var id: Int64
    /// nil for a top-level segment.
    public var parentID: Int64?
    /// Unique among its siblings, compared ignoring case in every script (`UniqueName.fold`), 1-100 characters.
    public var name: String
    /// The names from the top-level segment down to this one, e.g. `["Industry", "Manufacturing", "Machinery"]`.
    public var path: [String]
    /// Customers this segment is chosen for (not counting those of its sub-segments).
    public var customerCount: Int64

    public init(id: Int64, parentID: Int64?, name: String, path: [String], customerCount: Int64) {
        self.id = id
        self.parentID = parentID
        self.name = name
        self.path = path
        self.customerCount = customerCount
    }

    /// The path as people read it: "Industry / Manufacturing / Machinery".
    public var displayPath: String {
        path.joined(separator: " / ")
    }
}
