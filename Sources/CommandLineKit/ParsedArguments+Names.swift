import Foundation

/// The name-based way of the commands not yet declared with `Option`; goes once they all are.
extension ParsedArguments {
    public init(_ arguments: some Sequence<String>, options: Set<String>, flags: Set<String>) throws(UsageError) {
        try self.init(arguments, options: options.sorted().map { Option.value($0, help: "") }
                      + flags.sorted().map { Option.flag($0, help: "") })
    }

    public func flag(_ name: String) -> Bool { flag(Option.flag(name, help: "")) }
    public func value(_ name: String) -> String? { value(Option.value(name, help: "")) }
    public func allValues(_ name: String) -> [String] { allValues(Option.value(name, help: "")) }

    public func integer<T: FixedWidthInteger>(_ name: String, as type: T.Type = T.self) throws(UsageError) -> T? {
        try integer(Option.value(name, help: ""), as: type)
    }

    public func dateTime(_ name: String, localZone: TimeZone = .current) throws(UsageError) -> Date? {
        try dateTime(Option.value(name, help: ""), localZone: localZone)
    }

    public func expectPositionals(atMost count: Int) throws(UsageError) {
        if positionals.count > count {
            throw UsageError("unexpected argument '\(positionals[count])'")
        }
    }
}
