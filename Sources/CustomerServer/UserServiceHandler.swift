import CustomerAPI
import RPC

/// Serves `customer.v1.UserService`: mapping OS uids to named users.
struct UserServiceHandler: RPCService {
    let store: Store
    let users: UserDirectory

    func register(with router: inout Router) {
        router.register(UserService.addUser) { (request: AddUserRequest, context) in
            let caller = try Caller.of(context)
            try caller.requireAdministrator(for: "adding a user")
            return APIUser(
                try users.addUser(uid: request.uid, name: request.name, isAdministrator: request.isAdministrator ?? false))
        }
        router.register(UserService.listUsers) { (_: ListUsersRequest, context) in
            _ = try Caller.of(context)
            return ListUsersResponse(users: try store.listUsers().map(APIUser.init))
        }
        router.register(UserService.whoAmI) { (_: WhoAmIRequest, context) in
            APIUser(try Caller.of(context).user)
        }
    }
}
