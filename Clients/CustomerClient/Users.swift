/// `customer.v1.UserService` as Swift calls. Everything but `whoAmI` needs the Administration right.
public struct Users: Sendable {
    let channel: ClientChannel

    /// Maps an OS uid to a named user. `profile` (a profile name) wins; without it an
    /// administrator gets the Administrator profile and anyone else Read only.
    public func add(uid: UInt32, name: String, isAdministrator: Bool = false, profile: String? = nil,
                    options: CallOptions = CallOptions()) async throws -> User {
        try await channel.call(
            UserService.addUser, AddUserRequest(uid: uid, name: name, isAdministrator: isAdministrator, profile: profile),
            options: options)
    }

    public func list(options: CallOptions = CallOptions()) async throws -> [User] {
        let response = try await channel.call(
            UserService.listUsers, ListUsersRequest(), options: options)
        return response.users
    }

    /// The user this process's uid maps to (or the person a trusted service acts for, with
    /// `actingService` set), with profile and rights.
    public func whoAmI(options: CallOptions = CallOptions()) async throws -> User {
        try await channel.call(
            UserService.whoAmI, WhoAmIRequest(), options: options)
    }

    /// Gives the user the named profile; refused (FAILED_PRECONDITION) for the last active administrator.
    public func setProfile(user: String, profile: String, options: CallOptions = CallOptions()) async throws -> User {
        try await channel.call(UserService.setUserProfile, SetUserProfileRequest(user: user, profile: profile), options: options)
    }

    /// The user's calls are refused from now on; refused for the last active administrator.
    public func deactivate(user: String, options: CallOptions = CallOptions()) async throws -> User {
        try await channel.call(UserService.deactivateUser, UserNameRequest(user: user), options: options)
    }

    public func activate(user: String, options: CallOptions = CallOptions()) async throws -> User {
        try await channel.call(UserService.activateUser, UserNameRequest(user: user), options: options)
    }

    /// Lets the user (a service) act for people it names (`CallOptions.acting(for:)`), or, with
    /// `trusted` false, takes that away.
    public func setTrustedService(user: String, _ trusted: Bool = true, options: CallOptions = CallOptions())
        async throws -> User {
        try await channel.call(
            UserService.setTrustedService, SetTrustedServiceRequest(user: user, trusted: trusted), options: options)
    }
}
