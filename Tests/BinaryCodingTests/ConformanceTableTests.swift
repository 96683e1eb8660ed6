@testable import BinaryCoding
import Synchronization
import Testing

@Suite struct ConformanceTableTests {
    /// While there is room each type is asked of the runtime once and its answer kept; past the
    /// table's 64 slots a type is asked every time, and answered right; a nil answer is not kept.
    @Test func keepsWhatItFoundAndAnswersRightWhenFull() {
        let table = ConformanceTable<Any.Type>()
        let types = optionalTower(Int.self, height: 99)
        let asks = Mutex(0)
        for round in 0..<2 {
            for type in types {
                let found = table.conformance(of: type) { asked in
                    asks.withLock { $0 += 1 }
                    return asked
                }
                #expect(found.map(ObjectIdentifier.init) == ObjectIdentifier(type), "round \(round): \(type)")
            }
        }
        // 100 types in the first round; in the second only those that found no slot (36 at least).
        #expect(asks.withLock { $0 } >= 136 && asks.withLock { $0 } < 200)
        #expect(table.conformance(of: String.self) { _ in nil } == nil)
        #expect(table.conformance(of: String.self) { $0 }.map(ObjectIdentifier.init) == ObjectIdentifier(String.self))
    }

    /// Threads inserting and looking up the same types at once all get each type's own answer.
    @Test func concurrentLookupsAgree() async {
        let table = ConformanceTable<Any.Type>()
        let types = optionalTower(String.self, height: 40)
        let wrong = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for _ in 0..<50 {
                        for type in types where table.conformance(of: type, asking: { $0 }).map(ObjectIdentifier.init)
                            != ObjectIdentifier(type) {
                            wrong += 1
                        }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }
}
