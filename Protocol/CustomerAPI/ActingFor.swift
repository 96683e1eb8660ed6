import RPCCore

/// How a trusted service names the person it acts for: the call's metadata carries the person's
/// user name under ``metadataKey``. The server checks the call, and records its changes, as that
/// person (the history names the service too). A caller that is not a trusted service and names
/// someone is refused with PERMISSION_DENIED.
public enum ActingFor {
    public static let metadataKey = "acting-for"
}

extension CallOptions {
    /// Options that make the call act for the user named `person` (trusted services only).
    public static func acting(for person: String, timeout: Duration? = nil) -> CallOptions {
        var options = CallOptions(timeout: timeout)
        options.act(for: person)
        return options
    }

    /// Makes the call act for the user named `person`, replacing whom it acted for before: the
    /// server refuses a call that names more than one person.
    public mutating func act(for person: String) {
        metadata.set(ActingFor.metadataKey, person)
    }
}
