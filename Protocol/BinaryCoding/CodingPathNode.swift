/// A coder node that knows its parent and its key, so the coding path is built only when asked
/// for (mostly for errors) instead of being copied into every nested coder.
protocol CodingPathNode: AnyObject {
    var parent: Self? { get }
    var key: (any CodingKey)? { get }
}

extension CodingPathNode {
    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: Self? = self
        while let current = node {
            if let key = current.key { path.append(key) }
            node = current.parent
        }
        return path.reversed()
    }
}
