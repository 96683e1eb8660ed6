/// What identifies an entry of the activity list: its own activities and the project tasks that
/// join the list come from two tables whose ids may be equal, so an `Activity`'s `id` alone is not
/// unique in a list; the pair (source, id) is.
public enum ActivityIdentity: Sendable, Hashable {
    /// A note, task or event: `completeTask(id:)` and friends take this id.
    case activity(Int64)
    /// A project task: `setProjectTaskDone(id:_:by:)` and friends take this id.
    case projectTask(Int64)
}

extension StoredActivity {
    /// The entry's stable identity in the list (see `ActivityIdentity`).
    public var identity: ActivityIdentity {
        kind == .projectTask ? .projectTask(id) : .activity(id)
    }
}
