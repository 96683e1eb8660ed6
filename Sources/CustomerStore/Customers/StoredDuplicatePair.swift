import Foundation

/// Two customers that may be one: what they share and how sure that makes it.
public struct StoredDuplicatePair: Sendable, Hashable {
    /// The lower id first.
    public var first: StoredCustomerRef
    public var second: StoredCustomerRef
    /// 0 to 100: the sum of the reasons' weights (`DuplicateReason.weight`), at most 100.
    public var score: Int
    public var reasons: [DuplicateReason]

    public init(first: StoredCustomerRef, second: StoredCustomerRef, score: Int, reasons: [DuplicateReason]) {
        self.first = first
        self.second = second
        self.score = score
        self.reasons = reasons
    }
}

/// A customer as a duplicate pair names it.
public struct StoredCustomerRef: Sendable, Hashable {
    public var id: Int64
    public var number: Int64
    public var name: String

    public init(id: Int64, number: Int64, name: String) {
        self.id = id
        self.number = number
        self.name = name
    }
}

/// Why two customers may be one.
public enum DuplicateReason: String, Sendable, Hashable, CaseIterable {
    /// The same VAT number or business id, in whatever spelling it was typed.
    case sameVatNumber
    /// Names equal after folding case and accents and dropping punctuation and legal forms.
    case sameName
    /// The same email domain or website host (public mail services excluded).
    case sameDomain
    /// The same phone number in E.164.
    case samePhone

    /// How much the reason alone says: a business id names one company; a shared domain or
    /// switchboard number only suggests one.
    public var weight: Int {
        switch self {
        case .sameVatNumber: 70
        case .sameName: 40
        case .sameDomain: 25
        case .samePhone: 25
        }
    }

    init(_ kind: MatchKey.Kind) {
        switch kind {
        case .vat: self = .sameVatNumber
        case .name: self = .sameName
        case .domain: self = .sameDomain
        case .phone: self = .samePhone
        }
    }
}

/// One page of duplicate candidates.
public struct StoredDuplicatePage: Sendable, Hashable {
    public var pairs: [StoredDuplicatePair]
    /// Pass it back to get the next page; nil on the last page.
    public var nextPageToken: String?

    public init(pairs: [StoredDuplicatePair], nextPageToken: String?) {
        self.pairs = pairs
        self.nextPageToken = nextPageToken
    }
}
