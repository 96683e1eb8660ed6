// The libFuzzer binary of Tests/Fuzz/run, built only with CUSTOMERCARD_FUZZ=1 (see Package.swift).
// A Swift executable brings its own `main`, so libFuzzer's is never linked: this one hands the
// command line to libFuzzer's driver (`LLVMFuzzerRunDriver`) with the chosen target's one-input entry.
import FuzzTargets
import Glibc

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

func fail(_ message: String) -> Never {
    let line = "customercard-fuzz: \(message)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(2)
}

/// CUSTOMERCARD_FUZZ_TARGET names the target; CUSTOMERCARD_FUZZ_SEEDS, when set, receives its seeds first.
let name = getenv("CUSTOMERCARD_FUZZ_TARGET").map { String(cString: $0) } ?? "decoder"
guard let chosen = FuzzTarget(rawValue: name) else {
    fail("unknown fuzz target \(name); known: \(FuzzTarget.allCases.map(\.rawValue))")
}
if let directory = getenv("CUSTOMERCARD_FUZZ_SEEDS").map({ String(cString: $0) }) {
    do { try chosen.writeSeeds(to: directory) } catch {
        fail("cannot write the seeds to \(directory): \(error)")
    }
}

let selected = chosen

/// The one-input entry, under the name libFuzzer's own `main` would look for (the archive holding
/// that `main` is linked too, and needs the symbol even though Swift's `main` runs).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selected.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, testOneInput))
