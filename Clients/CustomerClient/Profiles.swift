/// `customer.v1.ProfileService` as Swift calls: permission profiles (Administration right).
public struct Profiles: Sendable {
    let channel: ClientChannel

    public func create(name: String, rights: Rights, options: CallOptions = CallOptions()) async throws
        -> PermissionProfile {
        try await channel.call(ProfileService.createProfile, CreateProfileRequest(name: name, rights: rights), options: options)
    }

    /// Changes the rights given (and the name, with `newName`); the rest stays. A stale
    /// `expectedVersion` is ABORTED.
    public func update(name: String, newName: String? = nil, rights: RightsChanges = RightsChanges(),
                       expectedVersion: Int64? = nil, options: CallOptions = CallOptions()) async throws
        -> PermissionProfile {
        try await channel.call(
            ProfileService.updateProfile,
            UpdateProfileRequest(name: name, newName: newName, rights: rights, expectedVersion: expectedVersion),
            options: options)
    }

    /// Every profile, by name.
    public func list(options: CallOptions = CallOptions()) async throws -> [PermissionProfile] {
        try await channel.call(ProfileService.listProfiles, ListProfilesRequest(), options: options).profiles
    }

    public func get(name: String, options: CallOptions = CallOptions()) async throws -> PermissionProfile {
        try await channel.call(ProfileService.getProfile, GetProfileRequest(name: name), options: options)
    }
}
