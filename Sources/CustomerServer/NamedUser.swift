import CustomerStore
import RPCServing
import ServiceLog

/// A user that a request names by name, looked up once per call.
///
/// A create's account manager used to be looked up by the permission check, again by the handler,
/// in two read snapshots. Now `GuardedRouter` resolves it once, before the requirement (see
/// `register(_:resolving:requires:_:)`): the own-scope check compares this id with the caller's
/// and the handler hands the same id to the store, so the two cannot take one name for two users.
///
/// A name that is no user's is kept, with the answer the handler gives for it, instead of being
/// thrown: the requirement runs first and refuses it like any other user's name, so a caller who
/// may not create learns nothing about which names exist.
enum NamedUser: Sendable {
    case user(StoredUserRef)
    /// No user has the name, or it is not a name at all (a control character).
    case unknown(any Error)

    /// The user's id; for a name that is no user's, INVALID_ARGUMENT on the field that named it.
    func id() throws -> Int64 {
        switch self {
        case .user(let user): user.id
        case .unknown(let error): throw error
        }
    }
}

extension CustomerStore {
    /// The user `name` names (trimmed, case-insensitively, as `user(name:)` compares); `field` is
    /// the request field it came from, for the answer when it names nobody.
    func namedUser(_ name: String, field: String) throws -> NamedUser {
        do {
            // No user name holds a control character, and no message should echo one.
            try TextInput.refuseControlCharacters(inName: name, field: field)
        } catch {
            return .unknown(error)
        }
        guard let user = try user(name: name) else {
            return .unknown(RPCError(.invalidArgument, field: field, "no user is named \(TerminalText.quoted(name))"))
        }
        return .user(StoredUserRef(id: user.id, name: user.name))
    }

    /// The id of the user with this name, or INVALID_ARGUMENT on `field` when there is none (or
    /// the name holds a control character).
    func userID(named name: String, field: String) throws -> Int64 {
        try namedUser(name, field: field).id()
    }
}
