@testable import CustomerServer
@testable import CustomerStore
import CustomerClient
import Glibc
import RPCClient
import RPCCore
import RPCTransport
import TestSupport

/// A second identity on a test server: another OS user's calls, made in this process.
extension TestServer {
    /// A client whose connections reach this server as OS user `uid`, through in-process pairs
    /// served as the socket's are (the uid is the peer credentials the server reads): a second user
    /// beside this process's own on the socket, for tests that need one waiting at a known moment.
    func client(asUID uid: UInt32) -> CustomerClient {
        let caller = PeerCredentials(uid: uid, gid: uid, pid: Int32(bitPattern: uid))
        let me = PeerCredentials(uid: getuid(), gid: getgid(), pid: getpid())
        let channel = ClientChannel(name: "in-process customerd as uid \(uid)") { [app] () throws(IOError) -> any ByteStream in
            let (client, server) = InProcessStream.pair(clientCredentials: caller, serverCredentials: me)
            app.serve(connection: server)
            return client
        }
        return CustomerClient(channel: channel)
    }

    /// The server's threads waiting for a reader now (every reader in use).
    var threadsWaitingForAReader: Int { app.store.readers.waitingThreads }
}

extension TestServer {
    /// Holds one of the server's readers as OS user `uid`'s read, on a thread of its own, until
    /// `gate` opens: a read that takes as long as the test wants.
    func holdReader(as uid: UInt32, until gate: Gate) -> ThreadTask<Void> {
        let readers = app.store.readers
        return ThreadTask {
            CustomerStore.attributeReads(to: uid)
            let reads = readers.beginInterruptibleReads()
            defer { readers.end(reads) }
            try readers.withConnection { _ in gate.hold() }
        }
    }
}
