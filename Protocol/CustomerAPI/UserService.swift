import RPCCore

/// `customer.v1.UserService`: the users that OS uids map to.
public enum UserService {
    public static let name = "customer.v1.UserService"

    public static let addUser = UnaryMethod<AddUserRequest, User>(
        service: name, method: "AddUser",
        summary: "Administration right (as every method here but WhoAmI). Without `profile`, `isAdministrator` true "
            + "gives the Administrator profile, else Read only; true beside a `profile` is INVALID_ARGUMENT.",
        acceptsIdempotencyKey: true)
    public static let listUsers = UnaryMethod<ListUsersRequest, ListUsersResponse>(service: name, method: "ListUsers")
    public static let whoAmI = UnaryMethod<WhoAmIRequest, User>(
        service: name, method: "WhoAmI",
        summary: "The user the caller's uid maps to (or the person a trusted service acts for), with profile and rights.")
    public static let setUserProfile = UnaryMethod<SetUserProfileRequest, User>(
        service: name, method: "SetUserProfile",
        summary: "Takes effect on the user's next call, and at the next message of its streams running (PROTOCOL.md §6). Refused (FAILED_PRECONDITION) when no active administrator would remain.", acceptsIdempotencyKey: true)
    public static let deactivateUser = UnaryMethod<UserNameRequest, User>(
        service: name, method: "DeactivateUser",
        summary: "The user's calls are refused (UNAUTHENTICATED) from then on; same last-administrator rule.", acceptsIdempotencyKey: true)
    public static let activateUser = UnaryMethod<UserNameRequest, User>(
        service: name, method: "ActivateUser", acceptsIdempotencyKey: true)
    public static let setTrustedService = UnaryMethod<SetTrustedServiceRequest, User>(
        service: name, method: "SetTrustedService",
        summary: "Lets the user (a service) name the person it acts for, or takes that away.", acceptsIdempotencyKey: true)
}
