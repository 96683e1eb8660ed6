import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.ProfileService`: permission profiles. All of it is administration.
struct ProfileServiceHandler: GuardedService {
    var store: CustomerStore
    let users: UserDirectory

    func keyedWriteCommitted() {
        users.forgetAll()
    }

    func register(with router: inout GuardedRouter) {
        router.register(ProfileService.createProfile, requires: .administration) { request, context in
            PermissionProfile(try store.answering(context).createProfile(name: request.name, rights: request.rights.stored))
        }
        router.register(ProfileService.updateProfile, requires: .administration) { request, context in
            // Every user of the profile gets the new rights from their next call on.
            let updated = try users.changing {
                try store.answering(context).updateProfile(named: request.name, request.storedChanges,
                                                           expectedVersion: request.expectedVersion)
            }
            return PermissionProfile(updated)
        }
        router.register(ProfileService.listProfiles, requires: .administration) { _, _ in
            ProfileList(profiles: try store.profiles().map(PermissionProfile.init))
        }
        router.register(ProfileService.getProfile, requires: .administration) { request, _ in
            PermissionProfile(try store.profile(named: request.name))
        }
    }
}
