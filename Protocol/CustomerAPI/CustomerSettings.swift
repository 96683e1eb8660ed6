import Foundation

/// A customer's default invoicing settings, used as defaults for its invoices.
public struct CustomerSettings: Codable, Sendable, Hashable {
    public enum InvoiceChannel: Int, Codable, Sendable, CaseIterable { case email = 0, eInvoice = 1, paper = 2 }

    public var customerId: Int64
    public var invoiceChannel: InvoiceChannel?
    public var invoiceEmail: String?
    public var eInvoiceAddress: String?
    public var eInvoiceOperator: String?
    public var paymentTermDays: Int32?
    public var currency: String?
    /// Percent, exact.
    public var vatRate: Decimal?
    public var invoiceLanguage: String?
    public var reference: String?
    public var invoiceTemplate: String?
    /// 0 while the customer has no settings of its own.
    public var version: Int64
    public var updatedAt: Date?
    public var updatedBy: UserRef?

    public init(
        customerId: Int64, invoiceChannel: InvoiceChannel? = nil, invoiceEmail: String? = nil,
        eInvoiceAddress: String? = nil, eInvoiceOperator: String? = nil, paymentTermDays: Int32? = nil,
        currency: String? = nil, vatRate: Decimal? = nil, invoiceLanguage: String? = nil, reference: String? = nil,
        invoiceTemplate: String? = nil, version: Int64, updatedAt: Date? = nil, updatedBy: UserRef? = nil
    ) {
        self.customerId = customerId
        self.invoiceChannel = invoiceChannel
        self.invoiceEmail = invoiceEmail
        self.eInvoiceAddress = eInvoiceAddress
        self.eInvoiceOperator = eInvoiceOperator
        self.paymentTermDays = paymentTermDays
        self.currency = currency
        self.vatRate = vatRate
        self.invoiceLanguage = invoiceLanguage
        self.reference = reference
        self.invoiceTemplate = invoiceTemplate
        self.version = version
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    enum CodingKeys: Int, CodingKey {
        case customerId = 1, invoiceChannel = 2, invoiceEmail = 3, eInvoiceAddress = 4, eInvoiceOperator = 5
        case paymentTermDays = 6, currency = 7, vatRate = 8, invoiceLanguage = 9, reference = 10, invoiceTemplate = 11
        case version = 12, updatedAt = 13, updatedBy = 14
    }
}

/// `nil` = not given; "" clears a text field.
public struct CustomerSettingsFields: Codable, Sendable, Hashable {
    public var invoiceChannel: CustomerSettings.InvoiceChannel?
    public var invoiceEmail: String?
    public var eInvoiceAddress: String?
    public var eInvoiceOperator: String?
    public var paymentTermDays: Int32?
    public var currency: String?
    public var vatRate: Decimal?
    public var invoiceLanguage: String?
    public var reference: String?
    public var invoiceTemplate: String?

    public init(
        invoiceChannel: CustomerSettings.InvoiceChannel? = nil, invoiceEmail: String? = nil,
        eInvoiceAddress: String? = nil, eInvoiceOperator: String? = nil, paymentTermDays: Int32? = nil,
        currency: String? = nil, vatRate: Decimal? = nil, invoiceLanguage: String? = nil, reference: String? = nil,
        invoiceTemplate: String? = nil
    ) {
        self.invoiceChannel = invoiceChannel
        self.invoiceEmail = invoiceEmail
        self.eInvoiceAddress = eInvoiceAddress
        self.eInvoiceOperator = eInvoiceOperator
        self.paymentTermDays = paymentTermDays
        self.currency = currency
        self.vatRate = vatRate
        self.invoiceLanguage = invoiceLanguage
        self.reference = reference
        self.invoiceTemplate = invoiceTemplate
    }

    public var isEmpty: Bool { self == CustomerSettingsFields() }

    enum CodingKeys: Int, CodingKey {
        case invoiceChannel = 1, invoiceEmail = 2, eInvoiceAddress = 3, eInvoiceOperator = 4, paymentTermDays = 5
        case currency = 6, vatRate = 7, invoiceLanguage = 8, reference = 9, invoiceTemplate = 10
    }
}

public struct UpdateCustomerSettingsRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    public var expectedVersion: Int64?
    public var fields: CustomerSettingsFields

    public init(customerId: Int64, expectedVersion: Int64? = nil, fields: CustomerSettingsFields) {
        self.customerId = customerId
        self.expectedVersion = expectedVersion
        self.fields = fields
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, expectedVersion = 2, fields = 3 }
}

/// A node of the market segmentation tree, with its path from the root.
public struct Segment: Codable, Sendable, Hashable {
    public var id: Int64
    public var parentId: Int64?
    public var name: String
    /// Root first, e.g. ["Industry", "Manufacturing", "Machinery"].
    public var path: [String]
    public var customerCount: Int64

    public init(id: Int64, parentId: Int64?, name: String, path: [String], customerCount: Int64) {
        self.id = id
        self.parentId = parentId
        self.name = name
        self.path = path
        self.customerCount = customerCount
    }

    /// "Industry / Manufacturing / Machinery".
    public var pathText: String { path.joined(separator: " / ") }

    enum CodingKeys: Int, CodingKey { case id = 1, parentId = 2, name = 3, path = 4, customerCount = 5 }
}

public struct CreateSegmentRequest: Codable, Sendable, Hashable {
    public var name: String
    public var parentId: Int64?

    public init(name: String, parentId: Int64? = nil) {
        self.name = name
        self.parentId = parentId
    }

    enum CodingKeys: Int, CodingKey { case name = 1, parentId = 2 }
}

/// Renames and/or moves a segment (moving to no parent makes it a root; cycles are refused).
public struct UpdateSegmentRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String?
    public var parentId: Int64?
    /// Set to move the segment to the root.
    public var moveToRoot: Bool?

    public init(id: Int64, name: String? = nil, parentId: Int64? = nil, moveToRoot: Bool? = nil) {
        self.id = id
        self.name = name
        self.parentId = parentId
        self.moveToRoot = moveToRoot
    }

    enum CodingKeys: Int, CodingKey { case id = 1, name = 2, parentId = 3, moveToRoot = 4 }
}

public struct DeleteSegmentRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var force: Bool?

    public init(id: Int64, force: Bool? = nil) {
        self.id = id
        self.force = force
    }

    enum CodingKeys: Int, CodingKey { case id = 1, force = 2 }
}

public struct SegmentList: Codable, Sendable, Hashable {
    public var segments: [Segment]

    public init(segments: [Segment]) { self.segments = segments }

    enum CodingKeys: Int, CodingKey { case segments = 1 }
}

public struct SetCustomerSegmentsRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    public var segmentIds: [Int64]

    public init(customerId: Int64, segmentIds: [Int64]) {
        self.customerId = customerId
        self.segmentIds = segmentIds
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, segmentIds = 2 }
}

/// The customer-settings tab.
public struct SettingsTab: Codable, Sendable, Hashable {
    public var settings: CustomerSettings
    public var segments: [Segment]

    public init(settings: CustomerSettings, segments: [Segment]) {
        self.settings = settings
        self.segments = segments
    }

    enum CodingKeys: Int, CodingKey { case settings = 1, segments = 2 }
}

public struct Industry: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var customerCount: Int64

    public init(id: Int64, name: String, customerCount: Int64) {
        self.id = id
        self.name = name
        self.customerCount = customerCount
    }

    enum CodingKeys: Int, CodingKey { case id = 1, name = 2, customerCount = 3 }
}

/// Create (`name`), rename (`name` to `newName`) or delete (`name`, `force`) an industry.
public struct IndustryRequest: Codable, Sendable, Hashable {
    public var name: String
    public var newName: String?
    public var force: Bool?

    public init(name: String, newName: String? = nil, force: Bool? = nil) {
        self.name = name
        self.newName = newName
        self.force = force
    }

    enum CodingKeys: Int, CodingKey { case name = 1, newName = 2, force = 3 }
}

public struct IndustryList: Codable, Sendable, Hashable {
    public var industries: [Industry]

    public init(industries: [Industry]) { self.industries = industries }

    enum CodingKeys: Int, CodingKey { case industries = 1 }
}

public struct EmptyRequest: Codable, Sendable, Hashable {
    public init() {}
}
