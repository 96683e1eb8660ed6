@testable import RPCServing
import Testing

@Suite struct ActiveCallsTests {
    /// Random adds, replacements, look-ups and removals give the same answers as a dictionary,
    /// however the removals reorder the table (a removed call's slot takes the last one).
    @Test func answersAsADictionaryWould() {
        var table = ActiveCalls<String>()
        var model: [UInt32: String] = [:]
        var random = SystemRandomNumberGenerator()
        for step in 0..<5_000 {
            let id = UInt32.random(in: 1...40, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0, 1:
                table[id] = "call \(id) at \(step)"
                model[id] = "call \(id) at \(step)"
            case 2:
                #expect(table.removeValue(forKey: id) == model.removeValue(forKey: id))
            default:
                table[id] = nil
                model[id] = nil
            }
            #expect(table[id] == model[id])
            #expect(table.count == model.count && table.isEmpty == model.isEmpty)
        }
        #expect(table.values.sorted() == model.values.sorted())
        for id in UInt32(1)...40 { #expect(table[id] == model[id]) }
        table.removeAll()
        #expect(table.isEmpty && table[1] == nil && table.values.isEmpty)
    }
}
