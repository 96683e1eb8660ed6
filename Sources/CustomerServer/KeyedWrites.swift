import BinaryCoding
import CustomerAPI
import CustomerStore
import Hashing
import RPCServing

/// Runs the writes sent with an `idempotency-key` once per (user, key): the first call runs inside
/// `CustomerStore.keyedWrite`, which stores its answer with the key in the write's own transaction;
/// a retry gets that answer back. See Protocol/PROTOCOL.md, "Idempotency keys".
///
/// The handler of a keyed call is the method's handler registered a second time, on a copy of its
/// service whose store is `CustomerStore.insideKeyedWrites()`, so everything it reads and writes happens in
/// the keyed write's transaction. A call without a key takes the ordinary path and costs one
/// metadata lookup more.
struct KeyedWrites: Sendable {
    let store: CustomerStore
    /// The handlers registered on the keyed view, by full method name (each a `KeyedHandler`).
    let handlers: [String: any Sendable]

    /// The call's key, checked; nil when it carries none.
    /// - Throws: INVALID_ARGUMENT naming `idempotency-key` when the key is malformed.
    static func key(of context: ServerContext) throws -> String? {
        guard !context.metadata.isEmpty, let key = context.metadata[IdempotencyKey.metadataKey] else { return nil }
        if let problem = IdempotencyKey.problem(with: key) {
            throw RPCError(.invalidArgument, field: IdempotencyKey.metadataKey, problem)
        }
        return key
    }

    /// The first answer for `key` when the caller used it for this same request before, otherwise
    /// the answer of running the method now (stored with the key when it succeeds).
    /// - Throws: FAILED_PRECONDITION naming `idempotency-key` when the key was used for another
    ///   method or request; whatever the handler throws (the key stays free for a corrected retry).
    /// `request` is what the key stands for; the handler gets `resolved`, the request with the names
    /// it holds already looked up (see `GuardedRouter.register(_:resolving:requires:_:)`).
    func run<Input, Resolved, Output>(_ method: UnaryMethod<Input, Output>, key: String, _ request: Input,
                                      _ resolved: Resolved, _ context: ServerContext) throws -> Output {
        let name = method.descriptor.fullName
        guard let handler = handlers[name] as? KeyedHandler<Resolved, Output> else {
            throw RPCError(.internalError, "\(name) has no handler for calls with an idempotency key")
        }
        // Resolved once: the key is scoped by this caller and the answer shown to it, so both
        // uses see one standing (the attachment is set once, by `IdentityInterceptor`, but a
        // second look would make that a rule no code here states).
        let caller = try Caller.of(context)
        let claim = try Self.claim(method.descriptor, key: key, request, by: caller)
        let answer = try Self.once(claim, on: store.answering(context)) {
            // The handler passes its author (acting service included) to the store explicitly, so it
            // may run on the thread of another call leading the writer's group.
            try handler.run(resolved, context)
        } committed: {
            handler.committed()
        }
        // A replayed answer is the first call's as it was stored; the caller may have lost
        // Financial figures since (a profile change holds from the next call, a retry included).
        guard let bearing = answer as? any MoneyBearing, let shown = caller.shown(bearing) as? Output else {
            return answer
        }
        return shown
    }

    /// The claim of a unary call by `caller` (the call's, resolved once by whoever asks): its
    /// request as the server decoded it (see `fingerprint(of:actingFor:)`).
    static func claim<Input: Encodable>(_ method: MethodDescriptor, key: String, _ request: Input,
                                        by caller: Caller) throws -> IdempotencyClaim {
        IdempotencyClaim(
            // Scoped by the OS user the socket maps to; the person a service acts for is part of the request.
            userID: caller.service?.id ?? caller.user.id, key: key, method: method.fullName,
            request: try fingerprint(of: request, actingFor: caller.service == nil ? nil : caller.user.id))
    }

    /// The claim of a client-streaming call, whose request is the whole stream: `fingerprint` has
    /// hashed its messages' bytes as received, in order (a retry sends the same bytes; a client
    /// encoding canonically sends what `fingerprint(of:actingFor:)` would re-encode); the person a
    /// service acts for is added here. The store looks it up once the stream has
    /// ended (`CustomerStore.importCustomers(...claim:answer:)`).
    static func streamClaim(_ method: MethodDescriptor, key: String, fingerprint: SHA256,
                            _ context: ServerContext) throws -> IdempotencyClaim {
        let caller = try Caller.of(context)
        var hasher = fingerprint
        if caller.service != nil { hasher.update(Self.personBytes(caller.user.id)) }
        return IdempotencyClaim(userID: caller.service?.id ?? caller.user.id, key: key, method: method.fullName,
                                requestSHA256: hasher.finalizeHex())
    }

    /// Runs `body` inside `store.keyedWrite(claim)` and answers the call: `body`'s output, the first
    /// call's stored answer, or FAILED_PRECONDITION when the key was used for another request.
    private static func once<Output: Codable>(_ claim: IdempotencyClaim, on store: CustomerStore, _ body: () throws -> Output,
                                              committed: () -> Void) throws -> Output {
        let name = claim.method
        var answer: Output?
        let outcome = try store.keyedWrite(claim) {
            let output = try body()
            answer = output
            return try encode(output, of: name)
        }
        guard case .ran = outcome else { return try earlier(outcome, of: name) }
        committed()
        guard let answer else { throw RPCError(.internalError, "\(name) ran without an answer") }
        return answer
    }

    /// The answer to a call whose key was used before: the first call's answer, decoded, or
    /// FAILED_PRECONDITION naming `idempotency-key` when it was used for another request or its
    /// answer was forgotten with erased data.
    static func earlier<Output: Decodable>(_ outcome: IdempotentOutcome, of name: String) throws -> Output {
        switch outcome {
        case .ran(let bytes), .replayed(let bytes):
            do {
                return try BinaryDecoder().decode(Output.self, from: bytes)
            } catch {
                throw RPCError(.internalError, "the stored answer of \(name) cannot be decoded")
            }
        case .conflict(let first):
            throw RPCError(
                .failedPrecondition, field: IdempotencyKey.metadataKey,
                "already used for another request (\(first)) within the last 24 hours: use a new key for a new request")
        case .forgotten:
            throw RPCError(
                .failedPrecondition, field: IdempotencyKey.metadataKey,
                "already used for this request within the last 24 hours, and it was done; its answer is no longer kept "
                + "because data it carried was erased since: read the record instead of retrying")
        }
    }

    /// The request as the server decoded it, re-encoded (the canonical bytes: field order and
    /// unknown fields of the sender do not matter), followed by the person a service acts for.
    private static func fingerprint<Input: Encodable>(of request: Input, actingFor person: Int64?) throws -> [UInt8] {
        var bytes = try encode(request, of: "the request")
        if let person { bytes += personBytes(person) }
        return bytes
    }

    /// The person a service acts for, as a request's fingerprint ends with it.
    private static func personBytes(_ person: Int64) -> [UInt8] {
        withUnsafeBytes(of: person.bigEndian) { Array($0) }
    }

    static func encode<Value: Encodable>(_ value: Value, of what: String) throws -> [UInt8] {
        do {
            return try BinaryEncoder().encode(value)
        } catch {
            throw RPCError(.internalError, "cannot encode \(what) for its idempotency key")
        }
    }
}

/// One method's handler registered on the keyed view of the store, and what to do once a call of it
/// has committed.
struct KeyedHandler<Input, Output>: Sendable {
    let run: @Sendable (Input, ServerContext) throws -> Output
    let committed: @Sendable () -> Void
}
