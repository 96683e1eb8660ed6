import BinaryCoding
import Foundation
import Testing

/// `BinaryWriter` stores into reserved memory and guesses each nested message's length width from
/// the last message ended at the same depth: whatever the guess, its bytes are those of the
/// `Codable` path, whose lengths are minimal varints (ENCODING.md §1).
@Suite struct BinaryWriterTests {
    /// A message that nests itself, so sizes and depths can be chosen.
    struct Node: Codable, Equatable, DirectEncodable {
        var text: String?
        var number: Int64
        var at: Date?
        var children: [Node]
        /// Not direct: written through `write(_:encoding:)`, i.e. the `Codable` path in between.
        var tail: Plain?

        enum CodingKeys: Int, CodingKey { case text = 1, number = 2, at = 3, children = 4, tail = 300 }

        func encodeFields(to writer: inout BinaryWriter) throws {
            try writer.write(CodingKeys.text, text)
            try writer.write(CodingKeys.number, number)
            try writer.write(CodingKeys.at, at)
            try writer.write(CodingKeys.children, children)
            try writer.write(CodingKeys.tail, encoding: tail)
        }
    }

    /// A `Codable`-only message holding direct ones (the encoder hands them to the writer).
    struct Plain: Codable, Equatable {
        var nodes: [Node]
        var note: String
        enum CodingKeys: Int, CodingKey { case nodes = 1, note = 2 }
    }

    static func node(_ size: Int, number: Int64 = 1, children: [Node] = []) -> Node {
        Node(text: String(repeating: "x", count: size), number: number, at: Date(timeIntervalSinceReferenceDate: 1.5),
             children: children, tail: nil)
    }

    func expectSameBytes<T: Codable & Equatable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var codable = BinaryEncoder()
        codable.writesDirectly = false
        let expected = try codable.encode(value)
        let direct = try BinaryEncoder().encode(value)
        #expect(direct == expected, sourceLocation: sourceLocation)
        #expect(try BinaryDecoder().decode(T.self, from: direct) == value, sourceLocation: sourceLocation)
    }

    /// Lengths around every varint width, in orders where the remembered width is too small, right
    /// and too large: 127/128 and 16 383/16 384 bytes are where a length takes one more byte.
    @Test(arguments: [[0, 125, 126, 127, 128, 129], [200, 5, 200, 16_400, 3, 16_400, 200, 2_100_000, 10],
                      [16_378, 16_379, 16_380, 16_381, 100, 16_384]])
    func siblingsOfEverySizeAtOneDepth(_ sizes: [Int]) throws {
        try expectSameBytes(Node(text: nil, number: 0, at: nil, children: sizes.map { Self.node($0) }, tail: nil))
    }

    @Test func nestingDeeperThanTheRememberedDepths() throws {
        var node = Self.node(3)
        for depth in 0..<40 {
            node = Self.node(depth % 3 == 0 ? 150 : 2, number: Int64(-depth), children: [node, Self.node(depth * 7)])
        }
        try expectSameBytes(node)
    }

    @Test func directMessagesInsideCodableOnesAndBack() throws {
        let inner = Plain(nodes: (0..<300).map { Self.node($0 % 2 == 0 ? 130 : 4, number: Int64($0)) }, note: "ä")
        var outer = Self.node(20, children: [Self.node(140), Self.node(1)])
        outer.tail = inner
        outer.children.append(Node(text: "é", number: .min, at: nil, children: [], tail: inner))
        try expectSameBytes(Plain(nodes: [outer, Self.node(0)], note: "end"))
        try expectSameBytes(outer)
    }

    /// Text written from borrowed bytes, ASCII and not, is the `String` path's, whatever its size.
    @Test(arguments: [0, 1, 127, 128, 5_000])
    func borrowedTextOfEverySize(_ size: Int) throws {
        let text = String(repeating: "ab", count: size / 2) + (size % 2 == 0 ? "" : "ö")
        let written = try BinaryEncoder().encodeFields(of: Node.self, capacity: 0) { writer in
            try writer.writeMessage(Node.CodingKeys.children) { child in
                var copy = text
                try copy.withUTF8 { try child.write(Node.CodingKeys.text, utf8: UnsafeRawBufferPointer($0)) }
                try child.write(Node.CodingKeys.number, Int64(7))
            }
        }
        let expected = try BinaryEncoder().encode(
            Node(text: nil, number: 0, at: nil, children: [Node(text: text, number: 7, at: nil, children: [], tail: nil)],
                 tail: nil))
        // The expected top-level node also writes its own `number` (0) before the children.
        #expect(Array(expected.dropFirst(2)) == written.bytes)
    }

    /// Fields written apart (children of every length width, in a writer of their own) and copied
    /// into a message in another order are the bytes of the message with its children in that
    /// order; a range beyond what was written is refused and writes nothing.
    @Test func fieldsCopiedFromAnotherWriterInAnotherOrder() throws {
        let children = [130, 2, 16_400, 0, 127].enumerated().map { Self.node($1, number: Int64($0)) }
        var apart = BinaryWriter(capacity: 0)
        var bounds = [apart.count]
        for child in children {
            try apart.write(Node.CodingKeys.children, child)
            bounds.append(apart.count)
        }
        let order = [3, 0, 4, 2, 1]
        let written = try BinaryEncoder().encodeFields(of: Node.self, capacity: 0) { writer in
            try writer.write(Node.CodingKeys.number, Int64(9))
            for position in order { try writer.write(fieldsOf: apart, bounds[position]..<bounds[position + 1]) }
        }
        let expected = Node(text: nil, number: 9, at: nil, children: order.map { children[$0] }, tail: nil)
        #expect(written.bytes == (try BinaryEncoder().encode(expected)))
        #expect(try BinaryDecoder().decode(Node.self, from: written.bytes) == expected)

        var target = BinaryWriter(capacity: 0)
        #expect(throws: EncodingError.self) { try target.write(fieldsOf: apart, 0..<(apart.count + 1)) }
        #expect(target.count == 0)
    }

    /// Recurring messages (`writeMessage(_:recurring:identity:_:)`: the same identity, the same
    /// fields) copied from where they were first written are the bytes of each written whole:
    /// in parents whose length takes another width than the one guessed (so their content, the
    /// recurring fields in it, moves), at every depth, with more identities than are remembered,
    /// and an identity shared by another type, which is written on its own.
    @Test func recurringMessagesAreTheBytesOfEachWrittenWhole() throws {
        // Identity n has a text of `sizes[n]` bytes: a length of one, two and three bytes.
        let sizes = [3, 130, 0, 16_400, 7, 127, 128]
        func shared(_ identity: Int) -> Node { Self.node(sizes[identity], number: Int64(identity)) }
        // Another type's message of the same identity, with other fields.
        func other(_ identity: Int) -> Node { Self.node(sizes[identity] + 1, number: Int64(-identity - 1)) }
        var identities: [Int] = []
        var children: [Node] = []
        for index in 0..<40 {
            let identity = (index * 5 + index / 7) % sizes.count
            identities.append(identity)
            // Parents of alternating sizes, each holding the shared node and a nested one holding it too.
            children.append(Self.node(index % 3 == 0 ? 200 : 1, number: Int64(100 + index),
                                      children: [shared(identity), Self.node(index, children: [other(identity)])]))
        }
        let tree = Node(text: nil, number: 0, at: nil, children: children, tail: nil)

        func write(_ node: Node, _ identity: Int, to writer: inout BinaryWriter) throws {
            try writer.write(Node.CodingKeys.text, node.text)
            try writer.write(Node.CodingKeys.number, node.number)
            try writer.write(Node.CodingKeys.at, node.at)
            // The shared node as a recurring `Node`; the nested one's as a recurring `Plain` of the
            // same identity and other fields: another type, never mistaken for the `Node`.
            try writer.writeMessage(Node.CodingKeys.children, recurring: Node.self, identity: Int64(identity)) {
                try shared(identity).encodeFields(to: &$0)
            }
            try writer.writeMessage(Node.CodingKeys.children) { nested in
                try nested.write(Node.CodingKeys.text, node.children[1].text)
                try nested.write(Node.CodingKeys.number, node.children[1].number)
                try nested.write(Node.CodingKeys.at, node.children[1].at)
                try nested.writeMessage(Node.CodingKeys.children, recurring: Plain.self, identity: Int64(identity)) {
                    try other(identity).encodeFields(to: &$0)
                }
            }
        }
        let written = try BinaryEncoder().encodeFields(of: Node.self, capacity: 0) { writer in
            try writer.write(Node.CodingKeys.number, Int64(0))
            for (child, identity) in zip(children, identities) {
                try writer.writeMessage(Node.CodingKeys.children) { try write(child, identity, to: &$0) }
            }
        }
        #expect(written.bytes == (try BinaryEncoder().encode(tree)))
        #expect(try BinaryDecoder().decode(Node.self, from: written.bytes) == tree)
    }
}
