import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.UserService`: mapping OS uids to named users with permission profiles.
/// Everything but WhoAmI is administration.
struct UserServiceHandler: GuardedService {
    var store: CustomerStore
    let users: UserDirectory

    func keyedWriteCommitted() {
        users.forgetAll()
    }

    func register(with router: inout GuardedRouter) {
        router.register(UserService.addUser, requires: .administration) { request, context in
            let added = try users.changing {
                if let profile = request.profile {
                    // Both say which profile: refused rather than one silently winning.
                    if request.isAdministrator == true {
                        throw RPCError(.invalidArgument, field: "isAdministrator", "give profile or isAdministrator, not both")
                    }
                    return try store.answering(context).addUser(uid: request.uid, name: request.name, profileName: profile)
                }
                return try store.answering(context).addUser(uid: request.uid, name: request.name,
                                                            isAdministrator: request.isAdministrator ?? false)
            }
            return User(added)
        }
        router.register(UserService.listUsers, requires: .administration) { _, _ in
            ListUsersResponse(users: try store.listUsers().map { User($0) })
        }
        router.register(UserService.whoAmI, requires: .signedIn) { _, context in
            let caller = try Caller.of(context)
            return User(caller.user, actingService: caller.service)
        }
        router.register(UserService.setUserProfile, requires: .administration) { request, context in
            User(try users.changing { try store.answering(context).setUserProfile(userName: request.user, profileName: request.profile) })
        }
        router.register(UserService.deactivateUser, requires: .administration) { request, context in
            User(try users.changing { try store.answering(context).setUserActive(userName: request.user, false) })
        }
        router.register(UserService.activateUser, requires: .administration) { request, context in
            User(try users.changing { try store.answering(context).setUserActive(userName: request.user, true) })
        }
        router.register(UserService.setTrustedService, requires: .administration) { request, context in
            User(try users.changing { try store.answering(context).setTrustedService(userName: request.user, request.trusted) })
        }
    }
}
