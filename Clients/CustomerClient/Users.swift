/// `customer.v1.UserService` as Swift calls.
public struct Users: Sendable {
    let channel: ClientChannel

    /// Maps an OS uid to a named user; administrators only.
    public func add(uid: UInt32, name: String, isAdministrator: Bool = false, options: CallOptions = CallOptions())
        async throws -> User
    {
        try await channel.call(
            UserService.addUser, AddUserRequest(uid: uid, name: name, isAdministrator: isAdministrator),
            options: options)
    }

    public func list(options: CallOptions = CallOptions()) async throws -> [User] {
        let response = try await channel.call(
            UserService.listUsers, ListUsersRequest(), options: options)
        return response.users
    }

    /// The user this process's uid maps to.
    public func whoAmI(options: CallOptions = CallOptions()) async throws -> User {
        try await channel.call(
            UserService.whoAmI, WhoAmIRequest(), options: options)
    }
}
