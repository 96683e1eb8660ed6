import Foundation

/// The fuzz targets, one input at a time: what libFuzzer's `LLVMFuzzerTestOneInput` calls in the
/// fuzzing build and what the test suite replays its seeds and saved crash inputs through.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// (a) BinaryDecoder on every request message of the customer API.
    case decoder
    /// (b) FrameReader and the handshake, on the server's and the client's side.
    case frames
    /// (c) The whole request path of a real in-process server: decode, permission, handler, store.
    case requests
    /// (d) The hot response messages' own writers against their `Codable` path.
    case responses
    /// (e) The messages' own readers (`DirectDecodable`) against the generic decoder.
    case direct
    /// (f) Every handler as every kind of caller (a user per profile, a deactivated one, a stranger,
    /// a trusted service): decode, identity, permission, handler, store, whose integrity is checked.
    case handlers
    /// (g) The client- and server-streaming methods as every kind of caller, each call ended by
    /// END_STREAM, CANCEL, a dropped connection, a half-closed socket or a cut frame.
    case streams
    /// (h) A registry's answer (PRH, Brønnøysund) read as a record, as a hostile registry may give it.
    case registry
    /// (i) The Swift client's decoding of every response message, as a hostile server may send it.
    case client
    /// (j) A customer CSV file a user passes to `customerctl customers import`, read as records.
    case csv
    /// (k) `customerctl call`'s schema-driven path: a hostile server's reply read by the schema and
    /// printed as JSON, a person's JSON made into a request by the schema.
    case call
    /// (l) A registry's answer past the record: the refresh's plan and its write to the store.
    case refresh
    /// (m) A backup folder as `customerd --restore` reads it: its MANIFEST, stored files and database.
    case restore
    /// (n) Command-line words, dates, decimals, exact amounts and `TZ` as the tools read them.
    case commandline
    /// (o) A listing's page token and search text as the store reads them, past the token's fingerprint.
    case tokens
    /// (p) The files beside the database a store reads before SQLite opens it: `.wal-length`, `.wal-cut-short`.
    case storefiles

    /// Runs one input; returns normally whatever the bytes, a trap is a finding.
    public func run(_ input: UnsafeRawBufferPointer) {
        switch self {
        case .decoder: DecoderFuzzTarget.run(input)
        case .frames: FrameFuzzTarget.run(input)
        case .requests: RequestPathFuzzTarget.run(input)
        case .responses: ResponseFuzzTarget.run(input)
        case .direct: DirectDecodingFuzzTarget.run(input)
        case .handlers: HandlerFuzzTarget.run(input)
        case .streams: StreamFuzzTarget.run(input)
        case .registry: RegistryAnswerFuzzTarget.run(input)
        case .client: ClientResponseFuzzTarget.run(input)
        case .csv: CSVImportFuzzTarget.run(input)
        case .call: CallFuzzTarget.run(input)
        case .refresh: RegistryRefreshFuzzTarget.run(input)
        case .restore: RestoreFuzzTarget.run(input)
        case .commandline: CommandLineFuzzTarget.run(input)
        case .tokens: PageTokenFuzzTarget.run(input)
        case .storefiles: StoreFilesFuzzTarget.run(input)
        }
    }

    /// The seed inputs: Protocol/vectors/ and a few valid requests, shaped for this target.
    public var seeds: [[UInt8]] { FuzzSeeds.seeds(for: self) }

    /// Saved inputs that once crashed this target (Tests/Fuzz/crashes/NAME/), by file name.
    public var crashInputs: [(name: String, bytes: [UInt8])] {
        let directory = FuzzSeeds.repository.appendingPathComponent("Tests/Fuzz/crashes/\(rawValue)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().compactMap { name in
            (try? Data(contentsOf: directory.appendingPathComponent(name))).map { (name, [UInt8]($0)) }
        }
    }

    /// Writes the seeds into `directory` (the fuzzer's starting corpus), one file each.
    public func writeSeeds(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (index, seed) in seeds.enumerated() {
            try Data(seed).write(to: URL(fileURLWithPath: directory).appendingPathComponent("seed-\(index)"))
        }
    }
}
