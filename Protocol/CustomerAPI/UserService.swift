import RPC

/// `customer.v1.UserService`: the users that OS uids map to.
public enum UserService {
    public static let name = "customer.v1.UserService"

    /// Administrators only.
    public static let addUser = UnaryMethod<AddUserRequest, User>(service: name, method: "AddUser")
    public static let listUsers = UnaryMethod<ListUsersRequest, ListUsersResponse>(service: name, method: "ListUsers")
    /// The user the caller's uid maps to.
    public static let whoAmI = UnaryMethod<WhoAmIRequest, User>(service: name, method: "WhoAmI")
}
