// HOW A METHOD DECLARES WHAT IT NEEDS (issue 6, permission profiles)
//
// Every customer method is registered through a `GuardedRouter`, and a `GuardedRouter` only
// registers a method together with its `Requirement` (see Requirement.swift for the parts).
// The requirement is checked here, in one place, after the request is decoded and before the
// handler runs; a refusal is logged and answered PERMISSION_DENIED naming the missing right,
// and the handler never runs, so nothing changes. The typed `Router.register` without a
// requirement no longer exists, and CustomerServerApp hands the RPC server only
// `GuardedServices`, so a method cannot be registered without saying what it needs.
//
// A new handler adopts it with one line per method:
//
//     struct ProjectServiceHandler: GuardedService {            // was: RPCService
//         let store: CustomerStore
//
//         func register(with router: inout GuardedRouter) {     // was: inout Router
//             router.register(ProjectService.createProject,
//                             requires: .customers(.edit, customer: \.customerId)) { request, context in
//                 let caller = try Caller.of(context)            // the person, for created/updated by
//                 ...
//                 return caller.shown(project)                    // money hidden without Financial figures
//             }
//             router.register(ProjectService.listProjects, requires: .visibleCustomers) { request, context in
//                 // lists filter by Caller.of(context).visibleCustomers themselves
//             }
//         }
//     }
//
// and is listed in CustomerServerApp's `GuardedServices`. A record of a new kind (project,
// invoice, file) names its customer through a new `OwnedRecord` case, e.g.
// `.customers(.edit, record: { .project(id: $0.id) })`. Files follow Customers: read to list and
// download, edit to add, rename and remove. Administration-only methods: `requires: .administration`.
import BinaryCoding
import CustomerAPI
import CustomerStore
import RPCServing
import Synchronization

/// A service whose methods each declare what they need.
protocol GuardedService: Sendable {
    /// The store its handlers use: the view that refuses writes made without their call's
    /// admission (`CustomerStore.requiringAdmission()`: write through `store.answering(context)`);
    /// replaced by its keyed view for the copy that serves calls with an idempotency key (see `KeyedWrites`).
    var store: CustomerStore { get set }

    func register(with router: inout GuardedRouter)

    /// Runs after a call with an idempotency key has committed (e.g. to empty a cache that a change
    /// inside the transaction emptied too early). Does nothing unless a service needs it.
    func keyedWriteCommitted()
}

extension GuardedService {
    func keyedWriteCommitted() {}

    /// This service with its handlers on `store`.
    func using(_ store: CustomerStore) -> Self {
        var copy = self
        copy.store = store
        return copy
    }
}

/// Registers methods only together with their requirement, and runs the check before the handler.
struct GuardedRouter {
    private(set) var router: Router
    let checker: PermissionChecker
    /// What each registered method needs, by full method name.
    private(set) var requirements: [String: String] = [:]
    /// Serves calls with an idempotency key; nil: keys are not looked at (e.g. while collecting
    /// `keyedHandlers` or requirements).
    var keyedWrites: KeyedWrites?
    /// The handler of each method that accepts an idempotency key, by full method name (a `KeyedHandler`).
    private(set) var keyedHandlers: [String: any Sendable] = [:]
    /// The `keyedWriteCommitted` of the service registering now.
    var keyedWriteCommitted: @Sendable () -> Void = {}

    init(router: Router, checker: PermissionChecker) {
        self.router = router
        self.checker = checker
    }

    /// Registers a unary method that runs only when `requirement` holds, and answers only a caller a
    /// new call would still admit (`PermissionChecker.answer`: a read's answer is withheld from a
    /// caller deactivated or narrowed while it ran; a write's is not).
    mutating func register<Input, Output>(
        _ method: UnaryMethod<Input, Output>, requires requirement: Requirement<Input>,
        _ handler: @escaping @Sendable (Input, ServerContext) throws -> Output
    ) {
        register(method, resolving: { $0 }, requires: requirement, handler)
    }

    /// Registers a unary method whose request names records by name (e.g. a user): `resolve` looks
    /// them up once per call, before the requirement, and the requirement and the handler both get
    /// its result, so they cannot disagree about what a name meant. `resolve` must not refuse a
    /// name (see `NamedUser`): the requirement decides first, and refuses an unknown name like any
    /// other it may not use.
    mutating func register<Input, Resolved: Sendable, Output>(
        _ method: UnaryMethod<Input, Output>, resolving resolve: @escaping @Sendable (Input) throws -> Resolved,
        requires requirement: Requirement<Resolved>,
        _ handler: @escaping @Sendable (Resolved, ServerContext) throws -> Output
    ) {
        requirements[method.descriptor.fullName] = requirement.summary
        if method.acceptsIdempotencyKey {
            keyedHandlers[method.descriptor.fullName] = KeyedHandler(run: handler, committed: keyedWriteCommitted)
        }
        let call = guardedCall(method, resolving: resolve, requires: requirement)
        let checker = checker
        router.registerUnary(method.descriptor, requirement: requirement.summary) { (request: Input, context: ServerContext) in
            try call(request, context, { keyedWrites, key, resolved in
                try keyedWrites.run(method, key: key, request, resolved, context)
            }) { resolved, caller in
                try checker.answer(requirement, resolved, context, to: caller) { try handler(resolved, context) }
            }
        }
    }

    /// Registers a unary method that takes idempotency keys but keeps its key itself, not through
    /// `KeyedWrites.run` (a backup, whose write is a published folder, not the writer's
    /// transaction): `handler` gets the call's key, checked, or nil.
    mutating func register<Input, Output>(
        _ method: UnaryMethod<Input, Output>, requires requirement: Requirement<Input>,
        keyingItself handler: @escaping @Sendable (Input, _ key: String?, ServerContext) throws -> Output
    ) {
        requirements[method.descriptor.fullName] = requirement.summary
        let call = guardedCall(method, resolving: { $0 }, requires: requirement)
        let checker = checker
        router.registerUnary(method.descriptor, requirement: requirement.summary) { (request: Input, context: ServerContext) in
            // Keyed, as every keyed write: not held to its caller at its answer (`PermissionChecker.answer`).
            try call(request, context, { _, key, resolved in try handler(resolved, key, context) }) { resolved, caller in
                try checker.answer(requirement, resolved, context, to: caller) { try handler(resolved, nil, context) }
            }
        }
    }

    /// Registers a unary method whose handler hands its answer on (`Router.registerUnary(_:requirement:answeringLater:)`):
    /// a write handed to the group commit, answered by the group's thread after its COMMIT while
    /// this call's thread goes back to its socket. The handler must not throw after it handed
    /// `answer` on. A call with an idempotency key runs the handler registered on the keyed view
    /// inside its keyed write, where the store runs the write before it returns, so its answer is
    /// there when the handler returns (`KeyedWrites.run` waits for it, as for any keyed write).
    mutating func register<Input, Resolved: Sendable, Output>(
        _ method: UnaryMethod<Input, Output>, resolving resolve: @escaping @Sendable (Input) throws -> Resolved,
        requires requirement: Requirement<Resolved>,
        answeringLater handler: @escaping @Sendable (Resolved, ServerContext, _ answer: @escaping @Sendable (Swift.Result<Output, any Error>) -> Void) throws -> Void
    ) {
        requirements[method.descriptor.fullName] = requirement.summary
        if method.acceptsIdempotencyKey {
            keyedHandlers[method.descriptor.fullName] = KeyedHandler(run: { resolved, context in
                let outcome = Mutex<Swift.Result<Output, any Error>?>(nil)
                try handler(resolved, context) { result in outcome.withLock { $0 = result } }
                guard let result = outcome.withLock({ $0 }) else {
                    throw RPCError(.internalError, "\(method.descriptor.fullName) did not answer inside its keyed write (a server bug)")
                }
                return try result.get()
            }, committed: keyedWriteCommitted)
        }
        let call = guardedCall(method, resolving: resolve, requires: requirement)
        router.registerUnary(method.descriptor, requirement: requirement.summary, answeringLater: {
            (request: Input, context: ServerContext, answer) in
            try call(request, context, { keyedWrites, key, resolved in
                answer(Swift.Result { try keyedWrites.run(method, key: key, request, resolved, context) })
            }) { resolved, _ in
                // Not held to its caller at its answer (`PermissionChecker.answer`): a write answered
                // after its COMMIT by the group's thread, which the writer checked on its author.
                try handler(resolved, context, answer)
            }
        })
    }

    /// The steps both unary registrations share (``GuardedCall``), with the keyed writes only for a
    /// method that takes idempotency keys.
    private func guardedCall<Input, Resolved: Sendable, Output>(
        _ method: UnaryMethod<Input, Output>, resolving resolve: @escaping @Sendable (Input) throws -> Resolved,
        requires requirement: Requirement<Resolved>
    ) -> GuardedCall<Input, Resolved> {
        GuardedCall(resolve: resolve, requirement: requirement, checker: checker,
                    keyedWrites: method.acceptsIdempotencyKey ? keyedWrites : nil)
    }

    /// Registers a unary read whose handler writes its answer's bytes as it reads (see
    /// `EncodedMessage`), when `requirement` holds. Not for a method that takes idempotency keys:
    /// `KeyedWrites` keeps and replays answers as message values.
    mutating func register<Input, Output>(
        _ method: UnaryMethod<Input, Output>, requires requirement: Requirement<Input>,
        encoding handler: @escaping @Sendable (Input, ServerContext) throws -> EncodedMessage<Output>
    ) {
        register(method, resolving: { $0 }, requires: requirement, encoding: handler)
    }

    /// `register(_:requires:encoding:)` for a request that names its record by something `resolve`
    /// looks up first, as `register(_:resolving:requires:_:)` does.
    mutating func register<Input, Resolved: Sendable, Output>(
        _ method: UnaryMethod<Input, Output>, resolving resolve: @escaping @Sendable (Input) throws -> Resolved,
        requires requirement: Requirement<Resolved>,
        encoding handler: @escaping @Sendable (Resolved, ServerContext) throws -> EncodedMessage<Output>
    ) {
        assert(!method.acceptsIdempotencyKey, "\(method.descriptor.fullName) takes idempotency keys: register its message")
        requirements[method.descriptor.fullName] = requirement.summary
        let checker = checker
        router.registerUnary(method.descriptor, requirement: requirement.summary, encoding: {
            (request: Input, context: ServerContext) -> EncodedMessage<Output> in
            let resolved = try resolve(request)
            return try checker.run(requirement, resolved, context) { caller in
                try checker.answer(requirement, resolved, context, to: caller) { try handler(resolved, context) }
            }
        })
    }

    /// Registers a client-streaming method whose requirement is checked on its first message
    /// (e.g. an upload's header naming the customer) before the handler reads the rest. `first`
    /// gets that message decoded and its bytes as received (an import's idempotency key hashes them);
    /// `opening` is the field (API spelling) that message leads with, which a stream ended before
    /// any message is refused on. `screen` sees the first message's bytes before they are decoded,
    /// to refuse one by its shape for nothing (the handler screens the rest as it reads them).
    ///
    /// The handler reads the rest through a reader that checks the caller again on every message
    /// and at the stream's end (`CallerStanding`, the requirement on the first message), so a caller
    /// deactivated or stripped of the right while it sends is refused at its next message. The
    /// handler must keep nothing of the stream before it has ended (an import spools it, an upload
    /// writes a temporary file it removes when the call fails), which the refusal's words promise.
    mutating func register<First: Sendable, Message: Decodable & Sendable, Output: Encodable & Sendable>(
        clientStreaming method: MethodDescriptor, opening: String,
        screen: @escaping @Sendable (_ bytes: [UInt8]) throws -> Void = { _ in },
        first: @escaping @Sendable (Message, _ bytes: [UInt8]) throws -> First,
        requires requirement: Requirement<First>,
        _ handler: @escaping @Sendable (First, ClientStreamReader<Message>, ServerContext) throws -> Output
    ) {
        requirements[method.fullName] = requirement.summary
        let checker = checker
        router.registerClientStreaming(method, requirement: requirement.summary) { (messages: ClientStreamReader<Message>, context: ServerContext) -> Output in
            guard let opening = try messages.nextEncoded() else {
                throw RPCError(.invalidArgument, field: opening, "the stream ended before its first message, which carries it")
            }
            try screen(opening)
            let head = try first(messages.decode(opening), opening)
            return try checker.run(requirement, head, context) { _ in
                let standing = try CallerStanding(checker, requirement, head, context, .receiving)
                // The first message came after the call's identity check, and the reader below checks
                // only those after it: a change between them is refused here, in the words a new call
                // would get, before the handler begins anything (an upload its file, share25).
                try standing.check(after: 1)
                return try handler(head, messages.checking { try standing.check(after: $0) }, context)
            }
        }
    }

    /// Registers a server-streaming method that runs only when `requirement` holds, and sends
    /// each message only while it still holds: the handler's writer checks the caller again before
    /// every message (`CallerStanding`: one atomic load while no user or profile changes), so a
    /// caller deactivated, stripped of the right or, for a stream of the caller's view, shown less
    /// while the stream runs gets no further message.
    mutating func register<Input, Output>(
        _ method: ServerStreamingMethod<Input, Output>, requires requirement: Requirement<Input>,
        _ handler: @escaping @Sendable (Input, ServerStreamWriter<Output>, ServerContext) throws -> Void
    ) {
        requirements[method.descriptor.fullName] = requirement.summary
        let checker = checker
        router.registerServerStreaming(method.descriptor, requirement: requirement.summary) {
            (request: Input, writer: ServerStreamWriter<Output>, context: ServerContext) in
            try checker.run(requirement, request, context) { _ in
                let standing = try CallerStanding(checker, requirement, request, context, .sending)
                try handler(request, writer.checking { try standing.check(after: $0) }, context)
            }
        }
    }
}

/// The customer services as the RPC server sees them: one `RPCService` that registers every
/// `GuardedService` through a `GuardedRouter`.
struct GuardedServices: RPCService {
    let services: [any GuardedService]
    let checker: PermissionChecker
    /// The store the services use, for calls with an idempotency key.
    let store: CustomerStore

    /// Registers every service twice: on its store for ordinary calls, and on the store's keyed view
    /// for the calls with an idempotency key (see `KeyedWrites`).
    func register(with router: inout Router) {
        let view = store.insideKeyedWrites()
        var keyed = GuardedRouter(router: Router(), checker: checker)
        for service in services {
            let copy = service.using(view)
            keyed.keyedWriteCommitted = { copy.keyedWriteCommitted() }
            copy.register(with: &keyed)
        }
        var guarded = GuardedRouter(router: router, checker: checker)
        guarded.keyedWrites = KeyedWrites(store: store, handlers: keyed.keyedHandlers)
        for service in services { service.register(with: &guarded) }
        router = guarded.router
    }

    /// What each method needs, by full method name.
    var requirements: [String: String] {
        var guarded = GuardedRouter(router: Router(), checker: checker)
        for service in services { service.register(with: &guarded) }
        return guarded.requirements
    }
}

/// What a guarded unary call runs, however it answers: its request resolved, the requirement
/// checked (before anything else, so a refused call leaves no trace under its key), then `keyed`
/// with the call's idempotency key when the method takes one and the call carries it, otherwise
/// `unkeyed` with the caller the requirement was checked for.
private struct GuardedCall<Input, Resolved: Sendable>: Sendable {
    let resolve: @Sendable (Input) throws -> Resolved
    let requirement: Requirement<Resolved>
    let checker: PermissionChecker
    /// Nil for a method that takes no idempotency key.
    let keyedWrites: KeyedWrites?

    func callAsFunction<R>(_ request: Input, _ context: ServerContext,
                           _ keyed: (KeyedWrites, String, Resolved) throws -> R,
                           _ unkeyed: (Resolved, Caller) throws -> R) throws -> R {
        let resolved = try resolve(request)
        return try checker.run(requirement, resolved, context) { caller in
            guard let keyedWrites, let key = try KeyedWrites.key(of: context) else { return try unkeyed(resolved, caller) }
            return try keyed(keyedWrites, key, resolved)
        }
    }
}
