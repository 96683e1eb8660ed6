import CustomerAPI
import RPCClient

extension ClientChannel {
    /// A channel to `socketPath`, or, when nil, to the default socket (``DefaultEndpoint``). Unless
    /// `CUSTOMER_SOCKET` names it, that socket is the user's own, and a server there running as
    /// another OS user is refused (``ClientConfiguration/serverUsers``, unless the caller set it):
    /// another local user may have made the default directory first (`/tmp/customercard-UID`) and
    /// listened there to receive the user's calls (redteam26; customerctl refused it, the libraries
    /// did not).
    static func customer(socketPath: String?, configuration: ClientConfiguration) -> ClientChannel {
        guard let socketPath else {
            var configuration = configuration
            if !DefaultEndpoint.isNamed(), configuration.serverUsers == nil {
                configuration.serverUsers = DefaultEndpoint.ownServerUsers
            }
            return ClientChannel(socketPath: DefaultEndpoint.socketPath(), configuration: configuration)
        }
        return ClientChannel(socketPath: socketPath, configuration: configuration)
    }
}
