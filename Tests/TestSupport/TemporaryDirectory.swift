import Foundation
import Glibc

/// A fresh directory for one test, removed by ``remove()`` or when the last reference goes.
public final class TemporaryDirectory: Sendable {
    public let url: URL
    public var path: String { url.path }

    /// Creates `<base>/<prefix>-XXXXXX` (mkdtemp: unique even across processes).
    public init(prefix: String = "cc-test", in base: String = FileManager.default.temporaryDirectory.path) throws {
        url = try Self.create(prefix: prefix, in: base)
    }

    deinit { remove() }

    /// A path inside the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// A new directory the caller owns and removes; for helpers that keep a directory beyond one value.
    public static func create(prefix: String, in base: String = FileManager.default.temporaryDirectory.path) throws -> URL {
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw TemporaryDirectoryError(template: "\(base)/\(prefix)-XXXXXX", errno: errno)
        }
        return URL(fileURLWithPath: String(cString: created), isDirectory: true)
    }
}

public struct TemporaryDirectoryError: Error, CustomStringConvertible {
    public let template: String
    public let errno: Int32

    public var description: String { "mkdtemp \(template): \(String(cString: strerror(errno)))" }
}
