import CustomerAPI
import RPCCore
import Testing

/// The key's syntax, and how `CallOptions` carries it.
@Suite struct IdempotencyKeySyntaxTests {
    @Test(arguments: ["a", "2f1c9a0e-7b4d-4c55-9a57-0c1f9e1d2b3a", "job:42.retry_1", String(repeating: "K", count: 128)])
    func validKeys(key: String) {
        #expect(IdempotencyKey.problem(with: key) == nil)
    }

    @Test(arguments: ["", "two words", "tab\there", "nul\0byte", "ümlaut", "semi;colon", String(repeating: "K", count: 129)])
    func invalidKeys(key: String) {
        #expect(IdempotencyKey.problem(with: key) != nil)
    }

    @Test func generatedKeysAreValidAndNew() {
        let keys = (0..<100).map { _ in IdempotencyKey.generate() }
        #expect(keys.allSatisfy { IdempotencyKey.problem(with: $0) == nil })
        #expect(Set(keys).count == keys.count)
    }

    @Test func settingTheKeyReplacesTheOldOneAndKeepsOtherMetadata() {
        var options = CallOptions(metadata: Metadata([("acting-for", "alice")]))
        options.idempotencyKey = "first"
        options.idempotencyKey = "second"
        #expect(options.idempotencyKey == "second")
        #expect(options.metadata.filter { $0.key == "idempotency-key" }.count == 1)
        #expect(options.metadata["acting-for"] == "alice")
        options.idempotencyKey = nil
        #expect(options.idempotencyKey == nil)
        #expect(options.metadata.count == 1)
    }
}
