/// The version of CustomerCard: what `--version` prints in every executable and what customerd
/// tells clients in its handshake and server info. One constant, so they cannot disagree.
public enum CustomerCardVersion {
    public static let current = "0.1.0"

    /// The line `--version` prints: the program's name and the version.
    public static func line(for program: String) -> String {
        "\(program) \(current)"
    }
}
