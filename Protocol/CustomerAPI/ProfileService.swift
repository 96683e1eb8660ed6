import RPCCore

/// `customer.v1.ProfileService`: the permission profiles users are given. Administration right.
public enum ProfileService {
    public static let name = "customer.v1.ProfileService"

    public static let createProfile = UnaryMethod<CreateProfileRequest, PermissionProfile>(
        service: name, method: "CreateProfile", acceptsIdempotencyKey: true)
    public static let updateProfile = UnaryMethod<UpdateProfileRequest, PermissionProfile>(
        service: name, method: "UpdateProfile",
        summary: "Partial; takes effect for every user of the profile at once. Refused (FAILED_PRECONDITION) when no active administrator would remain. "
            + "One whose name and rights are those stored changes nothing (the profile as it is, its version unchanged).",
        acceptsIdempotencyKey: true)
    public static let listProfiles = UnaryMethod<ListProfilesRequest, ProfileList>(service: name, method: "ListProfiles")
    public static let getProfile = UnaryMethod<GetProfileRequest, PermissionProfile>(service: name, method: "GetProfile")
}
