import BinaryCoding
import CustomerAPI
import CustomerStore

extension BinaryWriter {
    /// The `UserRef` message of `user`, as `write(key, UserRef(user))` writes it, its fields
    /// copied from the last reference to the same user in this writer's message when there is
    /// one (`writeMessage(_:recurring:identity:_:)`): a page or a card names a few users over
    /// and over. Only for users of one read (one snapshot), where an id names one name.
    mutating func write<K: CodingKey>(_ key: K, user: StoredUserRef) throws {
        try writeMessage(key, recurring: UserRef.self, identity: user.id) { try UserRef(user).encodeFields(to: &$0) }
    }

    /// ``write(_:user:)`` when there is a user; nothing when nil.
    mutating func write<K: CodingKey>(_ key: K, user: StoredUserRef?) throws {
        if let user { try write(key, user: user) }
    }
}
