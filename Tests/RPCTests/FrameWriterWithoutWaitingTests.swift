import Glibc
import TestSupport
import Testing
@testable import RPCTransport

/// `FrameWriter.writeWithoutWaiting`, how a group commit's leader answers calls of other
/// connections: it never waits for a peer that does not read; what the socket did not take goes
/// out, in order, once the peer reads.
@Suite struct FrameWriterWithoutWaitingTests {
    @Test func aFullSocketDoesNotHoldTheWriterAndTheBytesFollowInOrder() async throws {
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        let peer = pair[1]
        defer { close(peer) }
        let writer = FrameWriter(socket: UnixSocket(fd: pair[0]))
        defer { writer.closeSocket() }
        // Far more than a socket's buffer: with a peer that reads nothing, a blocking send would
        // never return. Each frame is 64 KiB of its own number.
        let frames = 64
        let returned = await onThread { () -> Bool in
            for index in 0..<frames {
                do throws(IOError) {
                    try writer.writeWithoutWaiting { $0 += [UInt8](repeating: UInt8(index), count: 65_536) }
                } catch {
                    return false
                }
            }
            return true
        }
        #expect(returned)
        #expect(writer.queuedBytes > 0)  // The rest waits for the peer, on another thread.

        let received = await onThread { () -> [UInt8] in
            var all: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while all.count < frames * 65_536 {
                let count = buffer.withUnsafeMutableBytes { read(peer, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                all += buffer[..<count]
            }
            return all
        }
        #expect(received.count == frames * 65_536)
        let frameSize = 65_536
        let inOrder = (0..<frames).allSatisfy { (index: Int) -> Bool in
            let first: UInt8 = received[index * frameSize]
            let last: UInt8 = received[index * frameSize + frameSize - 1]
            return first == UInt8(index) && last == UInt8(index)
        }
        #expect(inOrder)
        try await waitUntil("the queue to empty") { writer.queuedBytes == 0 }
    }
}
