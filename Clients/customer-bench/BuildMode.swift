/// Numbers from a debug build say nothing about the real speed; say so where it cannot be missed.
enum BuildMode {
    #if DEBUG
    static let isDebug = true
    #else
    static let isDebug = false
    #endif

    static func warnIfDebug() {
        guard isDebug else { return }
        let banner = String(repeating: "!", count: 78)
        StandardError.write("""
        \(banner)
        !!! WARNING: customer-bench is a DEBUG build: its numbers are meaningless.
        !!! Build it with: swift build -c release --product customer-bench
        \(banner)

        """)
    }
}
