/// `customer.v1.LabelService`: the keyword and role lists.
public struct Labels: Sendable {
    let channel: ClientChannel

    public func create(_ kind: Label.Kind, name: String, options: CallOptions = CallOptions()) async throws -> Label {
        try await channel.call(LabelService.createLabel, CreateLabelRequest(kind: kind, name: name), options: options)
    }

    public func rename(_ kind: Label.Kind, name: String, to newName: String, options: CallOptions = CallOptions())
        async throws -> Label
    {
        try await channel.call(LabelService.renameLabel, RenameLabelRequest(kind: kind, name: name, newName: newName), options: options)
    }

    /// Returns how many contacts it was unassigned from; one in use needs `force`.
    @discardableResult
    public func delete(_ kind: Label.Kind, name: String, force: Bool = false, options: CallOptions = CallOptions())
        async throws -> Int64
    {
        try await channel.call(
            LabelService.deleteLabel, DeleteLabelRequest(kind: kind, name: name, force: force), options: options
        ).unassigned
    }

    public func list(_ kind: Label.Kind, options: CallOptions = CallOptions()) async throws -> [Label] {
        try await channel.call(LabelService.listLabels, ListLabelsRequest(kind: kind), options: options).labels
    }
}
