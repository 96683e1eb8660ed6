import RPCCore
import Testing

/// A descriptor keeps its names in shared storage (a copy is one retain): equality and hashing
/// still go by what it names, as when each string was its own field.
@Suite struct MethodDescriptorTests {
    @Test func descriptorsMadeApartFromTheSameNamesAreEqualAndHashAlike() {
        let one = MethodDescriptor(service: "test.v1.Test", method: "Echo", kind: .unary, summary: "s")
        let other = MethodDescriptor(service: "test.v1.Test", method: "Echo", kind: .unary, summary: "s")
        #expect(one == other)
        #expect(one.hashValue == other.hashValue)
        #expect(Set([one, other]).count == 1)
        #expect(one.fullName == "test.v1.Test/Echo")
    }

    @Test func aDescriptorDifferingInAnyFieldIsNotEqual() {
        let base = MethodDescriptor(service: "a.S", method: "M", kind: .unary, summary: nil, mayWaitLong: false)
        let variants = [
            MethodDescriptor(service: "a.T", method: "M", kind: .unary),
            MethodDescriptor(service: "a.S", method: "N", kind: .unary),
            MethodDescriptor(service: "a.S", method: "M", kind: .serverStreaming),
            MethodDescriptor(service: "a.S", method: "M", kind: .unary, summary: ""),
            MethodDescriptor(service: "a.S", method: "M", kind: .unary, mayWaitLong: true),
        ]
        for variant in variants { #expect(base != variant, "\(variant)") }
        #expect(Set(variants + [base]).count == variants.count + 1)
    }
}
