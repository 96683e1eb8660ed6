import CustomerClient
import RPCCore

/// The rights changes the re-check tests make as the administrator, by name: "deactivated", or
/// the profile the user is moved to.
enum RightsChange {
    /// Makes `change` to `user` through `admin`'s calls.
    static func make(_ change: String, to user: String, by admin: CustomerClient) async throws {
        if change == "deactivated" {
            _ = try await admin.users.deactivate(user: user)
        } else {
            _ = try await admin.users.setProfile(user: user, profile: change)
        }
    }

    /// The status a call refused for `change` ends with: a deactivated user is no caller at all.
    static func refusal(of change: String) -> StatusCode {
        change == "deactivated" ? .unauthenticated : .permissionDenied
    }
}
