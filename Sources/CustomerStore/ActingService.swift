/// The trusted service a call runs through when it acts for a person (issue 6): changes are made,
/// and recorded in the history, as that person, with the service named beside them.
///
/// Bound by the server around one call's handler with `ActingService.$userID.withValue(id) { ... }`
/// and read by `HistoryLog.append`. A task-local rather than one more parameter on every write:
/// every write, including ones added later, records the service without threading it through
/// each method. Store calls run synchronously on the calling thread (the writer pool lends its
/// connection to that thread), and outside a task a task-local binding lives in thread-local
/// storage (SE-0311), so the binding is seen exactly by the writes of that call.
public enum ActingService {
    /// The users.id of the service; nil when the caller acts for itself.
    @TaskLocal public static var userID: Int64?
}
