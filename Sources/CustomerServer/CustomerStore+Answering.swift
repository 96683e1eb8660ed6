import CustomerStore
import RPCServing

extension CustomerStore {
    /// This store for one call's writes: each write, just before it runs in its group, takes the
    /// call's answer (`ServerContext.claimAnswer`), so a call the server already ended
    /// (DEADLINE_EXCEEDED, CANCEL, connection gone, shutdown) writes nothing; one that took it gets
    /// its own answer after the COMMIT, deadline or not. Every handler writes through this
    /// (PROTOCOL.md §7.1): the store handlers hold (`requiringAdmission()`) refuses any other write.
    func answering(_ context: ServerContext) -> CustomerStore {
        answering { try context.claimAnswer() }
    }
}
