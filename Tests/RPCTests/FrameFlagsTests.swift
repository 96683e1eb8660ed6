@testable import RPCTransport
import Testing

/// `FrameFlags` answers `contains` and `isSubset(of:)` itself (OptionSet's defaults took a generic
/// path on every frame): over every pair of flag bytes, each answers what the bits say.
@Suite struct FrameFlagsTests {
    /// Bit by bit, the way a reader of PROTOCOL.md's flag table would check it.
    static func allBits(of part: UInt8, areIn whole: UInt8) -> Bool {
        (0..<8).allSatisfy { bit in part >> bit & 1 == 0 || whole >> bit & 1 == 1 }
    }

    @Test func containsAndIsSubsetAgreeWithTheBitsForEveryPairOfFlagBytes() {
        var disagreements: [String] = []
        for first in UInt8.min...UInt8.max {
            for second in UInt8.min...UInt8.max {
                let (flags, other) = (FrameFlags(rawValue: first), FrameFlags(rawValue: second))
                if flags.contains(other) != Self.allBits(of: second, areIn: first) {
                    disagreements.append("\(first).contains(\(second))")
                }
                if flags.isSubset(of: other) != Self.allBits(of: first, areIn: second) {
                    disagreements.append("\(first).isSubset(of: \(second))")
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    @Test func theNamedSetsAreTheProtocolsBits() {
        #expect(FrameFlags().rawValue == 0)
        #expect(FrameFlags.lastMessage.rawValue == 0x03)
        #expect(FrameFlags.lastMessage.contains(.hasMessage) && FrameFlags.lastMessage.contains(.endStream))
        #expect(FrameFlags.hasMessage.isSubset(of: .lastMessage) && !FrameFlags.lastMessage.isSubset(of: .hasMessage))
    }
}
