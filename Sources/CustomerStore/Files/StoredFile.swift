import Foundation

/// A file of a customer or of one of its projects: its metadata (the content is on disk,
/// addressed by `sha256`; download it with `CustomerStore.readFile`).
public struct StoredFile: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    /// The project it belongs to; nil for a file of the customer itself.
    public var projectID: Int64?
    /// The project's name, when the project exists.
    public var projectName: String?
    /// 1-255 characters, no '/' or NUL.
    public var name: String
    /// In bytes.
    public var size: Int64
    /// The content's SHA-256, 64 lower-case hex digits.
    public var sha256: String
    /// A media type such as "application/pdf", when the uploader gave one.
    public var contentType: String?
    public var createdAt: Date
    public var createdBy: StoredUserRef
    public var updatedAt: Date
    public var updatedBy: StoredUserRef

    public init(id: Int64, customerID: Int64, projectID: Int64?, projectName: String?, name: String, size: Int64,
                sha256: String, contentType: String?, createdAt: Date, createdBy: StoredUserRef, updatedAt: Date,
                updatedBy: StoredUserRef) {
        self.id = id
        self.customerID = customerID
        self.projectID = projectID
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
}

/// A link (an http or https address) of a customer or of one of its projects.
public struct StoredLink: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    public var projectID: Int64?
    public var projectName: String?
    /// Always with its scheme, http or https (`https://` added when the input had none).
    public var url: String
    /// At most 200 characters; nil when not given.
    public var title: String?
    public var createdAt: Date
    public var createdBy: StoredUserRef
    public var updatedAt: Date
    public var updatedBy: StoredUserRef

    public init(id: Int64, customerID: Int64, projectID: Int64?, projectName: String?, url: String, title: String?,
                createdAt: Date, createdBy: StoredUserRef, updatedAt: Date, updatedBy: StoredUserRef) {
        self.id = id
        self.customerID = customerID
        self.projectID = projectID
        self.projectName = projectName
        self.url = url
        self.title = title
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}
