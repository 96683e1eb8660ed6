import Foundation

/// A file of a customer or of one of its projects, stored content-addressed by SHA-256.
public struct FileInfo: Codable, Sendable, Hashable {
    public var id: Int64
    public var customerId: Int64
    public var projectId: Int64?
    public var projectName: String?
    public var name: String
    public var size: Int64
    /// Lower-case hex SHA-256 of the content.
    public var sha256: String
    public var contentType: String?
    public var createdAt: Date
    public var createdBy: UserRef
    public var updatedAt: Date
    public var updatedBy: UserRef

    public init(
        id: Int64, customerId: Int64, projectId: Int64?, projectName: String?, name: String, size: Int64,
        sha256: String, contentType: String?, createdAt: Date, createdBy: UserRef, updatedAt: Date, updatedBy: UserRef
    ) {
        self.id = id
        self.customerId = customerId
        self.projectId = projectId
        self.projectName = projectName
        self.name = name
        self.size = size
        self.sha256 = sha256
        self.contentType = contentType
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    enum CodingKeys: Int, CodingKey {
        case id = 1, customerId = 2, projectId = 3, projectName = 4, name = 5, size = 6, sha256 = 7, contentType = 8
        case createdAt = 9, createdBy = 10, updatedAt = 11, updatedBy = 12
    }
}

/// One message of an upload (client-streaming): the first carries `header`, the rest `data`.
public struct UploadFileMessage: Codable, Sendable, Hashable {
    public struct Header: Codable, Sendable, Hashable {
        public var customerId: Int64
        public var projectId: Int64?
        public var name: String
        /// The whole file's size and SHA-256 (lower-case hex): checked on arrival.
        public var size: Int64
        public var sha256: String
        public var contentType: String?

        public init(customerId: Int64, projectId: Int64? = nil, name: String, size: Int64, sha256: String, contentType: String? = nil) {
            self.customerId = customerId
            self.projectId = projectId
            self.name = name
            self.size = size
            self.sha256 = sha256
            self.contentType = contentType
        }

        enum CodingKeys: Int, CodingKey { case customerId = 1, projectId = 2, name = 3, size = 4, sha256 = 5, contentType = 6 }
    }

    public var header: Header?
    public var data: Data?

    public init(header: Header) {
        self.header = header
        self.data = nil
    }

    public init(data: Data) {
        self.header = nil
        self.data = data
    }

    enum CodingKeys: Int, CodingKey { case header = 1, data = 2 }
}

/// One chunk of a download (server-streaming), in order. The first message announces the
/// file's size and SHA-256 (with no data), so a client can check what it received before it
/// keeps it: the call also fails with DATA_LOSS when the stored content no longer matches.
public struct FileChunk: Codable, Sendable, Hashable {
    public var data: Data
    /// The whole file's size in bytes: only in the first message.
    public var size: Int64?
    /// The whole file's SHA-256 as 64 lower-case hex digits: only in the first message.
    public var sha256: String?

    public init(data: Data, size: Int64? = nil, sha256: String? = nil) {
        self.data = data
        self.size = size
        self.sha256 = sha256
    }

    enum CodingKeys: Int, CodingKey { case data = 1, size = 2, sha256 = 3 }
}

public struct FileIDRequest: Codable, Sendable, Hashable {
    public var id: Int64

    public init(id: Int64) { self.id = id }

    enum CodingKeys: Int, CodingKey { case id = 1 }
}

/// Renames a file (`name`) or retitles a link (`name` is the new title).
public struct RenameRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }

    enum CodingKeys: Int, CodingKey { case id = 1, name = 2 }
}

public struct Link: Codable, Sendable, Hashable {
    public var id: Int64
    public var customerId: Int64
    public var projectId: Int64?
    public var projectName: String?
    public var url: String
    public var title: String
    public var createdAt: Date
    public var createdBy: UserRef
    public var updatedAt: Date
    public var updatedBy: UserRef

    public init(
        id: Int64, customerId: Int64, projectId: Int64?, projectName: String?, url: String, title: String,
        createdAt: Date, createdBy: UserRef, updatedAt: Date, updatedBy: UserRef
    ) {
        self.id = id
        self.customerId = customerId
        self.projectId = projectId
        self.projectName = projectName
        self.url = url
        self.title = title
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    enum CodingKeys: Int, CodingKey {
        case id = 1, customerId = 2, projectId = 3, projectName = 4, url = 5, title = 6, createdAt = 7, createdBy = 8
        case updatedAt = 9, updatedBy = 10
    }
}

public struct AddLinkRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    public var projectId: Int64?
    public var url: String
    public var title: String

    public init(customerId: Int64, projectId: Int64? = nil, url: String, title: String) {
        self.customerId = customerId
        self.projectId = projectId
        self.url = url
        self.title = title
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, projectId = 2, url = 3, title = 4 }
}

/// The customer's files and links, customer-level and project-level together.
public struct FilesTab: Codable, Sendable, Hashable {
    public var files: [FileInfo]
    public var links: [Link]

    public init(files: [FileInfo], links: [Link]) {
        self.files = files
        self.links = links
    }

    enum CodingKeys: Int, CodingKey { case files = 1, links = 2 }
}
