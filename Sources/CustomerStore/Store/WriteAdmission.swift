/// What a view of the store needs before each of its writes runs (`write`, `withWriter`,
/// `keyedWrite`; reads never ask).
///
/// The server hands its handlers a view that requires an admission (``CustomerStore/requiringAdmission()``):
/// a handler reaches a write only through the view its call's admission made
/// (``CustomerStore/answering(_:)``), and one that forgets it gets ``StoreError/writeWithoutAdmission(_:)``
/// on its first write, in its first test, instead of a write that may commit after its caller was
/// told the call failed. The store as opened (start-up, tools, tests) writes unconditionally.
enum WriteAdmission: Sendable {
    /// Every write runs.
    case unconditional
    /// Every write is refused, before anything of it runs.
    case required
    /// `check` is asked just before the write would run (or, for a write that holds the writer
    /// across its own transaction, just before its COMMIT); when it throws, the write keeps
    /// nothing and throws that error.
    case asking(@Sendable () throws -> Void)

    /// The check to ask just before a write runs; nil when none is needed.
    /// - Parameter write: names the write in the error (built only when refused).
    /// - Throws: ``StoreError/writeWithoutAdmission(_:)`` when an admission is required.
    func asked(by write: @autoclosure () -> String) throws -> (@Sendable () throws -> Void)? {
        switch self {
        case .unconditional: return nil
        case .required: throw StoreError.writeWithoutAdmission(write())
        case .asking(let check): return check
        }
    }
}
