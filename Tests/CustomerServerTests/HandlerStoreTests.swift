@testable import CustomerServer
@testable import CustomerStore
import RPCCore
import TestSupport
import Testing

/// Every service the server runs holds the store view that refuses a write made without its
/// call's admission: a handler that calls the store's writes directly, not through
/// `answering(context)`, fails with an internal error naming the write, and writes nothing.
@Suite struct HandlerStoreTests {
    @Test func everyServiceWritesOnlyWithItsCallsAdmission() async throws {
        try await withInProcessServer { server in
            let app = server.app
            let before = try await onThread { try app.store.snapshot() }
            let stores = app.services.services.map { ("\(type(of: $0))", $0.store) } + [("GuardedServices", app.services.store)]
            #expect(stores.count > 20)
            for (service, store) in stores {
                let error = await onThread { () -> StoreError? in
                    do {
                        _ = try store.createLabel(.keyword, name: "unadmitted")
                        return nil
                    } catch {
                        return error as? StoreError
                    }
                }
                #expect(error == .writeWithoutAdmission("createLabel(_:name:)"), "\(service)")
                let status = error?.rpcError
                #expect(status?.code == .internalError)
                // The write is named in the log (the cause), not to the caller in Swift's words.
                #expect(status?.message == "the server made a write without its call's admission (a server bug); "
                        + "nothing was written", "\(String(describing: status))")
                #expect(status?.cause.map { "\($0)" }?.contains("createLabel(_:name:)") == true)
            }
            #expect(try await onThread { try app.store.snapshot() } == before)
        }
    }
}
