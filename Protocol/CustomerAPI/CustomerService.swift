import RPCCore

/// `customer.v1.CustomerService`: create, read, change, list, deactivate and delete customers.
public enum CustomerService {
    public static let name = "customer.v1.CustomerService"

    public static let createCustomer = UnaryMethod<CreateCustomerRequest, Customer>(
        service: name, method: "CreateCustomer",
        summary: "`fields.name` is required (1 to 200 characters); the other fields are optional: `number` 1 to "
            + "9999999999 (absent: the server assigns one), `country` an ISO 3166-1 alpha-2 code, `email` an address, "
            + "`phone` 5 to 20 digits, `vatNumber` 4 to 20 letters and digits valid for the country (each at most 1024 "
            + "characters, separators included), `website` an http(s) address. "
            + "Every invalid field is one INVALID_ARGUMENT detail, named as in `CustomerFields` (`name`, not "
            + "`fields.name`). A taken `number`, or a `vatNumber` another customer has (unless "
            + "`allowDuplicateVat`), is ALREADY_EXISTS.", acceptsIdempotencyKey: true)
    public static let getCustomer = UnaryMethod<GetCustomerRequest, Customer>(
        service: name, method: "GetCustomer",
        summary: "Give exactly one of `id` and `number` (the customer number people see, not the id): neither or "
            + "both is INVALID_ARGUMENT with the detail `id`; no such customer is NOT_FOUND.")
    public static let updateCustomer = UnaryMethod<UpdateCustomerRequest, Customer>(
        service: name, method: "UpdateCustomer",
        summary: "Partial: only the fields given change; a stale expected version is ABORTED, and so is, with own scope, "
            + "a customer given to another account manager after the call was checked. An update whose every given field "
            + "equals the stored value once normalised (trimmed, composed, a VAT number canonical) changes nothing: the "
            + "customer as it is, its version and `updatedAt` unchanged, no history entry, no change-feed event.",
        acceptsIdempotencyKey: true)
    public static let listCustomers = UnaryMethod<ListCustomersRequest, ListCustomersResponse>(
        service: name, method: "ListCustomers",
        summary: "A page of `limit` customers (1 to 1000, default 50; else INVALID_ARGUMENT); `query.status` absent "
            + "lists active customers only, `query.order` absent orders by name: by the name folded for case and accents "
            + "(`Ärrä Oy` sorts as `arra oy`: after `alpha ab`, before `Beta Oy`), compared as UTF-8 bytes, then by id; "
            + "`number` orders by customer number. Send `nextPageToken` back as "
            + "`pageToken` with the same query for the next page; the last page has none. `query.changedSince` lists "
            + "the customers whose `updatedAt` is at or after it; the server's stamps never go back, "
            + "also after its wall clock was set back or a restart (held at the newest stamp until the clock passes it), "
            + "so a client that sends the newest `updatedAt` it saw misses no later write (and sees that customer again). "
            + "Each page is read on its own from where the last one ended (its token holds the last name or number and id): "
            + "a customer that keeps its place comes exactly once across the pages, whatever is created or erased between "
            + "them, but one renamed (renumbered) between two pages from past the last page to before it is not returned, "
            + "and one moved the other way is returned twice. StreamCustomers fixes its customers when it starts.")
    public static let streamCustomers = ServerStreamingMethod<StreamCustomersRequest, Customer>(
        service: name, method: "StreamCustomers",
        summary: "One `Customer` message per row, for exports of any size; the query as in ListCustomers "
            + "(`status` absent: active customers only). The customers are those matching the query when the stream "
            + "starts, in their order then: each comes exactly once, as it is when its turn comes, renamed or renumbered "
            + "meanwhile or not; one erased, or no longer matching the query, by its turn is left out, and one that comes "
            + "to match after the start is not sent (SnapshotCustomers and WatchChanges follow changes). A stream of more "
            + "than 4096 customers keeps their ids in a file beside the database while it runs: when the caller's OS user "
            + "already holds GetStoreStatus's `maxStreamIDBytesPerUser` in such files, or the server `maxStreamIDFiles` of "
            + "them (all users together), the stream is refused RESOURCE_EXHAUSTED before its first message, naming the "
            + "limit; read to their end or cancel the other streams, or narrow the query, and call again. "
            + "SnapshotCustomers keeps no such file.")
    public static let importCustomers = MethodDescriptor(
        service: name, method: "ImportCustomers", kind: .clientStreaming,
        summary: "Client-streaming: `ImportCustomersMessage`s (options first), answered `ImportCustomersResponse`. "
            + "Options travel only in the first message (in a later one: INVALID_ARGUMENT on `options`); a first "
            + "message without them takes the defaults: no dry run, all or nothing, no duplicate VAT numbers. "
            + "Each row is checked as CreateCustomer checks it, with its head office address and first contact; "
            + "a dry run writes nothing; otherwise one bad row refuses all (INVALID_ARGUMENT, a detail per problem, the first "
            + "\(ImportCustomersResponse.maxRefusalDetails), "
            + "field `line N: column`) unless `continueOnError`. The server keeps the stream until it ends, then checks the "
            + "options and rows and writes all rows in one transaction (a slow client holds up no other write): a client "
            + "sends its END_STREAM before it waits for the answer, which comes after it, also when options in a later "
            + "message or a bad row refuse the import; only the refusals below come at the message they concern. The caller is checked again on each "
            + "message received: deactivated (UNAUTHENTICATED) or no longer granted the right (PERMISSION_DENIED) "
            + "while it sends, the import is refused at its next message and writes nothing. A message carries at most "
            + "\(ImportCustomersMessage.maxRows) rows: one with more is refused INVALID_ARGUMENT on `rows`, before "
            + "any of it is decoded, and nothing is written. An import whose messages, as received with 4 bytes "
            + "each, exceed the server's limit (2 GiB by default), or would take all imports in progress at once past it "
            + "together, is refused RESOURCE_EXHAUSTED and writes nothing. "
            + "Takes an `idempotency-key`.")
    public static let exportCustomers = ServerStreamingMethod<StreamCustomersRequest, CustomerRecord>(
        service: name, method: "ExportCustomers",
        summary: "One `CustomerRecord` per customer (head office and first contact included): what ImportCustomers takes. "
            + "Which customers, in what order and as read when, and its id file's RESOURCE_EXHAUSTED, as in StreamCustomers.")
    public static let deactivateCustomer = UnaryMethod<SetCustomerActiveRequest, Customer>(
        service: name, method: "DeactivateCustomer",
        summary: "A customer deactivated already is answered as it is (no version, history entry or change-feed event).",
        acceptsIdempotencyKey: true)
    public static let activateCustomer = UnaryMethod<SetCustomerActiveRequest, Customer>(
        service: name, method: "ActivateCustomer",
        summary: "A customer active already is answered as it is (no version, history entry or change-feed event).",
        acceptsIdempotencyKey: true)
    public static let deleteCustomer = UnaryMethod<DeleteCustomerRequest, DeleteCustomerResponse>(
        service: name, method: "DeleteCustomer",
        summary: "Needs confirm = true and the delete right. Erases the personal data of the customer and its contacts; "
            + "a customer with activities, projects, invoices, files or links stays as a tombstone (deleted = true).",
        acceptsIdempotencyKey: true)
    public static let findDuplicates = UnaryMethod<FindDuplicatesRequest, FindDuplicatesResponse>(
        service: name, method: "FindDuplicates",
        summary: "Needs Customers read for all customers. Pages of candidate pairs with a score and reasons, found "
            + "through stored keys (VAT number / business id, folded name without legal form, email domain or website "
            + "host, E.164 phone), never by comparing every customer with every other; a key more than "
            + "50 customers share pairs nobody.")
    public static let mergeCustomers = UnaryMethod<MergeCustomersRequest, MergeCustomersResponse>(
        service: name, method: "MergeCustomers",
        summary: "Needs the delete right and Customers edit on both. Moves everything of `absorbId` to `keepId` in one "
            + "transaction (the kept head office stays), fills fields the kept customer lacks unless named in "
            + "`doNotFill`, records `merged` in both histories; afterwards `absorbId` answers NOT_FOUND with the "
            + "detail `mergedInto: <id>`. A dry run changes nothing and answers the same report.",
        acceptsIdempotencyKey: true)
    public static let refreshFromRegistry = UnaryMethod<RefreshFromRegistryRequest, RefreshFromRegistryResponse>(
        service: name, method: "RefreshFromRegistry",
        summary: "Finland and Norway only: the company's standing (proceedings, VAT register, deregistration, branch) and the differences with the national business registry and, unless a dry run, the chosen fields and the standing taken from it in one transaction (history marks the source).",
        mayWaitLong: true)
}
