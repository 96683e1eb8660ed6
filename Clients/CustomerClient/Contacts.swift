/// `customer.v1.ContactService` as Swift calls.
public struct Contacts: Sendable {
    let channel: ClientChannel

    public func create(
        customerID: Int64, _ fields: ContactFields, keywords: [String] = [], roles: [String] = [],
        options: CallOptions = CallOptions()
    ) async throws -> Contact {
        try await channel.call(
            ContactService.createContact,
            CreateContactRequest(customerId: customerID, fields: fields, keywords: keywords, roles: roles), options: options)
    }

    public func update(id: Int64, _ fields: ContactFields, expectedVersion: Int64? = nil, options: CallOptions = CallOptions())
        async throws -> Contact
    {
        try await channel.call(
            ContactService.updateContact, UpdateContactRequest(id: id, expectedVersion: expectedVersion, fields: fields),
            options: options)
    }

    /// A deleted contact comes back as its tombstone: `deleted` true, personal fields absent.
    public func get(id: Int64, options: CallOptions = CallOptions()) async throws -> Contact {
        try await channel.call(ContactService.getContact, ContactIDRequest(id: id), options: options)
    }

    /// Active contacts; with `includeDeactivated`, the deactivated ones too.
    public func list(customerID: Int64, includeDeactivated: Bool = false, options: CallOptions = CallOptions())
        async throws -> [Contact]
    {
        try await channel.call(
            ContactService.listContacts,
            ListContactsRequest(customerId: customerID, includeDeactivated: includeDeactivated), options: options
        ).contacts
    }

    public func deactivate(id: Int64, expectedVersion: Int64? = nil, options: CallOptions = CallOptions()) async throws -> Contact {
        try await channel.call(ContactService.deactivateContact, ContactIDRequest(id: id, expectedVersion: expectedVersion), options: options)
    }

    public func activate(id: Int64, expectedVersion: Int64? = nil, options: CallOptions = CallOptions()) async throws -> Contact {
        try await channel.call(ContactService.activateContact, ContactIDRequest(id: id, expectedVersion: expectedVersion), options: options)
    }

    /// Erases the person's data for good and returns the tombstone; refused unless `confirm`.
    @discardableResult
    public func delete(id: Int64, confirm: Bool, options: CallOptions = CallOptions()) async throws -> Contact {
        try await channel.call(ContactService.deleteContact, DeleteContactRequest(id: id, confirm: confirm), options: options)
    }

    public func tag(id: Int64, keywords: [String] = [], roles: [String] = [], options: CallOptions = CallOptions())
        async throws -> Contact
    {
        try await channel.call(ContactService.tagContact, TagContactRequest(id: id, keywords: keywords, roles: roles), options: options)
    }

    public func untag(id: Int64, keywords: [String] = [], roles: [String] = [], options: CallOptions = CallOptions())
        async throws -> Contact
    {
        try await channel.call(ContactService.untagContact, TagContactRequest(id: id, keywords: keywords, roles: roles), options: options)
    }

    /// Every active contact across all customers with the keyword and/or role, streamed.
    public func mailingList(keyword: String? = nil, role: String? = nil, options: CallOptions = CallOptions())
        -> ServerStreamResponse<MailingListEntry>
    {
        channel.call(ContactService.streamMailingList, MailingListRequest(keyword: keyword, role: role), options: options)
    }
}
