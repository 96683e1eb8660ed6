import CustomerAPI
import Glibc
import Testing

@Suite struct DefaultEndpointTests {
    @Test(arguments: [
        (["CUSTOMER_SOCKET": "/run/x.sock", "XDG_RUNTIME_DIR": "/run/user/1"], "/run/x.sock"),
        (["XDG_RUNTIME_DIR": "/run/user/1000"], "/run/user/1000/customercard/customerd.sock"),
        (["XDG_RUNTIME_DIR": "relative", "CUSTOMER_SOCKET": ""], "/tmp/customercard-\(getuid())/customerd.sock"),
        (["HOME": "/home/u"], "/tmp/customercard-\(getuid())/customerd.sock"),
    ])
    func socketPath(_ environment: [String: String], _ expected: String) {
        #expect(DefaultEndpoint.socketPath(environment: environment) == expected)
    }
}
