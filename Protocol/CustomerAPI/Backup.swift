/// Asks for a backup into a folder the server writes.
public struct BackupRequest: Codable, Sendable, Hashable {
    /// An absolute path on the server's machine: nothing there yet, or an empty folder, in a folder
    /// that exists, its last name at most 229 bytes (the staging folder beside it adds 26); that
    /// folder and those above it the server's user's or root's, and writable by nobody else unless
    /// sticky. Written by the server's OS user, not the caller's.
    public var to: String
    /// Database pages copied per step, each step holding writers up once. Default: 64 (256 KiB).
    public var pagesPerStep: Int32?

    public init(to: String, pagesPerStep: Int32? = nil) {
        self.to = to
        self.pagesPerStep = pagesPerStep
    }

    enum CodingKeys: Int, CodingKey { case to = 1, pagesPerStep = 2 }
}

/// What a finished, checked backup holds.
public struct BackupResponse: Codable, Sendable, Hashable {
    /// The backup's folder.
    public var path: String
    /// The database copy's size in bytes.
    public var databaseBytes: Int64
    public var customers: Int64
    /// Distinct file contents copied, and their total size in bytes.
    public var files: Int64
    public var fileBytes: Int64
    /// From the first page copied to the checked backup in place.
    public var durationMilliseconds: Int64
    /// Steps of the online copy, and the median and longest time one held up writers.
    public var steps: Int64
    public var longestStepMicroseconds: Int64
    public var medianStepMicroseconds: Int64

    public init(path: String, databaseBytes: Int64, customers: Int64, files: Int64, fileBytes: Int64,
                durationMilliseconds: Int64, steps: Int64, longestStepMicroseconds: Int64, medianStepMicroseconds: Int64) {
        self.path = path
        self.databaseBytes = databaseBytes
        self.customers = customers
        self.files = files
        self.fileBytes = fileBytes
        self.durationMilliseconds = durationMilliseconds
        self.steps = steps
        self.longestStepMicroseconds = longestStepMicroseconds
        self.medianStepMicroseconds = medianStepMicroseconds
    }

    enum CodingKeys: Int, CodingKey {
        case path = 1, databaseBytes = 2, customers = 3, files = 4, fileBytes = 5, durationMilliseconds = 6
        case steps = 7, longestStepMicroseconds = 8, medianStepMicroseconds = 9
    }
}
