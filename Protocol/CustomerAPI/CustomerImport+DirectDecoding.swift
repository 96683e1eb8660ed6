import BinaryCoding

// An import's messages read their own fields (see `DirectDecodable`): a million-row import decodes
// a million records, and through `Decodable` each cost its nested messages' decoder nodes, boxed
// containers and metadata lookups (~22 000 instructions a row, callgrind, issue 17). Each reads its
// fields in its `CodingKeys` order, as its synthesized `init(from:)` does (so a message with two
// bad fields fails on the same one both ways); ImportMessageDecodingTests compare both paths, also
// on damaged bytes.

extension ImportCustomersMessage: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        options = try reader.decodeIfPresent(ImportOptions.self, CodingKeys.options)
        rows = try reader.decode([CustomerRecord].self, CodingKeys.rows)
    }
}

extension ImportOptions: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        dryRun = try reader.decodeIfPresent(Bool.self, CodingKeys.dryRun)
        continueOnError = try reader.decodeIfPresent(Bool.self, CodingKeys.continueOnError)
        allowDuplicateVat = try reader.decodeIfPresent(Bool.self, CodingKeys.allowDuplicateVat)
    }
}

extension CustomerRecord: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        line = try reader.decodeIfPresent(Int64.self, CodingKeys.line)
        fields = try reader.decode(CustomerFields.self, CodingKeys.fields)
        address = try reader.decodeIfPresent(AddressFields.self, CodingKeys.address)
        contact = try reader.decodeIfPresent(ContactFields.self, CodingKeys.contact)
        businessId = try reader.decodeIfPresent(String.self, CodingKeys.businessId)
        contactKeywords = try reader.decode([String].self, CodingKeys.contactKeywords)
        contactRoles = try reader.decode([String].self, CodingKeys.contactRoles)
    }
}

extension AddressFields: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        street1 = try reader.decodeIfPresent(String.self, CodingKeys.street1)
        street2 = try reader.decodeIfPresent(String.self, CodingKeys.street2)
        street3 = try reader.decodeIfPresent(String.self, CodingKeys.street3)
        postalCode = try reader.decodeIfPresent(String.self, CodingKeys.postalCode)
        city = try reader.decodeIfPresent(String.self, CodingKeys.city)
        region = try reader.decodeIfPresent(String.self, CodingKeys.region)
        country = try reader.decodeIfPresent(String.self, CodingKeys.country)
        kind = try reader.decodeIfPresent(Address.Kind.self, CodingKeys.kind)
    }
}

extension ContactFields: DirectDecodable {
    public init(fields reader: borrowing BinaryReader) throws {
        firstName = try reader.decodeIfPresent(String.self, CodingKeys.firstName)
        lastName = try reader.decodeIfPresent(String.self, CodingKeys.lastName)
        title = try reader.decodeIfPresent(String.self, CodingKeys.title)
        email = try reader.decodeIfPresent(String.self, CodingKeys.email)
        phone = try reader.decodeIfPresent(String.self, CodingKeys.phone)
        mobile = try reader.decodeIfPresent(String.self, CodingKeys.mobile)
        language = try reader.decodeIfPresent(String.self, CodingKeys.language)
        notes = try reader.decodeIfPresent(String.self, CodingKeys.notes)
    }
}
