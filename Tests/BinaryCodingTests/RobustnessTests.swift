import TestSupport
import BinaryCoding
import Foundation
import Testing

/// The decoder must throw a DecodingError, never trap, whatever it is fed.
@Suite struct RobustnessTests {
    func decodeAnything(_ bytes: [UInt8]) {
        for decoder in [BinaryDecoder.generic, BinaryDecoder()] {
            for attempt in [
                { _ = try decoder.decode(Customer.self, from: bytes) },
                { _ = try decoder.decode(Collections.self, from: bytes) },
                { _ = try decoder.decode(AllWidths.self, from: bytes) },
                { _ = try decoder.decode([String: [Int?]].self, from: bytes) },
            ] as [() throws -> Void] {
                do {
                    try attempt()
                } catch is DecodingError {
                } catch {
                    Issue.record("not a DecodingError: \(error)")
                }
            }
        }
    }

    @Test func everyTruncationOfAValidMessage() throws {
        let full = try BinaryEncoder().encode(Fixtures.full)
        var failures = 0
        for end in 0..<full.count {
            do {
                _ = try BinaryDecoder.generic.decode(Customer.self, from: full[0..<end])
            } catch is DecodingError {
                failures += 1
            }
            decodeAnything(Array(full[0..<end]))
        }
        // Cutting at a field boundary can leave a valid (shorter) message only if every required
        // field came before the cut; most cuts must fail.
        #expect(failures > full.count / 2)
    }

    @Test func randomGarbage() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        for _ in 0..<3000 {
            let count = Int.random(in: 0...48, using: &generator)
            decodeAnything((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
    }

    @Test func mutatedValidMessages() throws {
        var generator = SeededGenerator(seed: 42)
        let original = try BinaryEncoder().encode(Fixtures.full)
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            decodeAnything(bytes)
        }
    }
}
