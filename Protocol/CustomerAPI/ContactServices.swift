import RPCCore

/// `customer.v1.AddressService`: a customer's addresses and its head office.
public enum AddressService {
    public static let name = "customer.v1.AddressService"

    public static let addAddress = UnaryMethod<AddAddressRequest, Address>(
        service: name, method: "AddAddress",
        summary: "The customer's first address becomes its head office in the same transaction.", acceptsIdempotencyKey: true)
    public static let updateAddress = UnaryMethod<UpdateAddressRequest, Address>(
        service: name, method: "UpdateAddress",
        summary: "Given fields only; one whose every given field equals the stored value once normalised changes nothing "
            + "(the address as it is, its version unchanged, no history entry, no change-feed event).",
        acceptsIdempotencyKey: true)
    public static let removeAddress = UnaryMethod<AddressIDRequest, AddressList>(
        service: name, method: "RemoveAddress",
        summary: "Refused (FAILED_PRECONDITION) for the head office while other addresses exist.", acceptsIdempotencyKey: true)
    public static let listAddresses = UnaryMethod<CustomerIDRequest, AddressList>(service: name, method: "ListAddresses")
    public static let setHeadOffice = UnaryMethod<AddressIDRequest, AddressList>(
        service: name, method: "SetHeadOffice",
        summary: "Moves the head office atomically; both addresses whose isHeadOffice changed are updated (version, updated at/by, history).", acceptsIdempotencyKey: true)
    public static let getInvoicingReadiness = UnaryMethod<CustomerIDRequest, InvoicingReadiness>(
        service: name, method: "GetInvoicingReadiness",
        summary: "Head office and VAT number present? Answers with the missing items.")
}

/// `customer.v1.ContactService`: contact persons, their keywords and roles, the mailing list.
public enum ContactService {
    public static let name = "customer.v1.ContactService"

    public static let createContact = UnaryMethod<CreateContactRequest, Contact>(
        service: name, method: "CreateContact", acceptsIdempotencyKey: true)
    public static let updateContact = UnaryMethod<UpdateContactRequest, Contact>(
        service: name, method: "UpdateContact",
        summary: "Given fields only; one whose every given field equals the stored value once normalised changes nothing "
            + "(the contact as it is, its version unchanged, no history entry, no change-feed event).",
        acceptsIdempotencyKey: true)
    public static let getContact = UnaryMethod<ContactIDRequest, Contact>(service: name, method: "GetContact")
    public static let listContacts = UnaryMethod<ListContactsRequest, ContactList>(service: name, method: "ListContacts")
    public static let deactivateContact = UnaryMethod<ContactIDRequest, Contact>(
        service: name, method: "DeactivateContact",
        summary: "A contact deactivated already is answered as it is (no version, history entry or change-feed event).",
        acceptsIdempotencyKey: true)
    public static let activateContact = UnaryMethod<ContactIDRequest, Contact>(
        service: name, method: "ActivateContact",
        summary: "A contact active already is answered as it is (no version, history entry or change-feed event).",
        acceptsIdempotencyKey: true)
    public static let deleteContact = UnaryMethod<DeleteContactRequest, Contact>(
        service: name, method: "DeleteContact",
        summary: "Erases the person's data for good; needs confirm = true.", acceptsIdempotencyKey: true)
    public static let tagContact = UnaryMethod<TagContactRequest, Contact>(
        service: name, method: "TagContact", acceptsIdempotencyKey: true)
    public static let untagContact = UnaryMethod<TagContactRequest, Contact>(
        service: name, method: "UntagContact", acceptsIdempotencyKey: true)
    public static let streamMailingList = ServerStreamingMethod<MailingListRequest, MailingListEntry>(
        service: name, method: "StreamMailingList",
        summary: "One MailingListEntry per contact, for lists of any size, by customer name, then customer, then contact: "
            + "the contacts that qualify when the stream starts, each exactly once, in that order, as it is when its turn "
            + "comes (its customer renamed meanwhile or not); one that no longer qualifies by then is left out. More than "
            + "4096 contacts keep their ids in a file, refused RESOURCE_EXHAUSTED as in StreamCustomers.")
}

/// `customer.v1.LabelService`: the managed lists of keywords and roles.
public enum LabelService {
    public static let name = "customer.v1.LabelService"

    public static let createLabel = UnaryMethod<CreateLabelRequest, Label>(
        service: name, method: "CreateLabel", acceptsIdempotencyKey: true)
    public static let renameLabel = UnaryMethod<RenameLabelRequest, Label>(
        service: name, method: "RenameLabel",
        summary: "Each contact carrying the label is written (version, history entry, change-feed event); renamed to "
            + "the name it has, code point for code point once trimmed and composed, nothing is written.",
        acceptsIdempotencyKey: true)
    public static let deleteLabel = UnaryMethod<DeleteLabelRequest, DeleteLabelResponse>(
        service: name, method: "DeleteLabel", acceptsIdempotencyKey: true)
    public static let listLabels = UnaryMethod<ListLabelsRequest, LabelList>(service: name, method: "ListLabels")
}

/// `customer.v1.ActivityService`: notes, tasks and calendar entries.
public enum ActivityService {
    public static let name = "customer.v1.ActivityService"

    public static let addNote = UnaryMethod<AddNoteRequest, Activity>(
        service: name, method: "AddNote", acceptsIdempotencyKey: true)
    public static let addTask = UnaryMethod<AddTaskRequest, Activity>(
        service: name, method: "AddTask", acceptsIdempotencyKey: true)
    public static let addEvent = UnaryMethod<AddEventRequest, Activity>(
        service: name, method: "AddEvent", acceptsIdempotencyKey: true)
    public static let completeTask = UnaryMethod<TaskIDRequest, Activity>(
        service: name, method: "CompleteTask", acceptsIdempotencyKey: true)
    public static let reopenTask = UnaryMethod<TaskIDRequest, Activity>(
        service: name, method: "ReopenTask", acceptsIdempotencyKey: true)
    public static let listActivities = UnaryMethod<ListActivitiesRequest, ActivityList>(service: name, method: "ListActivities")
    public static let updateActivity = UnaryMethod<UpdateActivityRequest, Activity>(
        service: name, method: "UpdateActivity",
        summary: "Changes the given fields of a note, task or event; history records the change. One whose every given "
            + "field equals the stored value once normalised (times to the millisecond) changes nothing (the activity "
            + "as it is, its version unchanged, no history entry, no change-feed event).",
        acceptsIdempotencyKey: true)
    public static let deleteActivity = UnaryMethod<DeleteActivityRequest, DeleteActivityResponse>(
        service: name, method: "DeleteActivity",
        summary: "Removes a note, task or event for good; its history remains.", acceptsIdempotencyKey: true)
}

/// `customer.v1.HistoryService`: who changed what, when.
public enum HistoryService {
    public static let name = "customer.v1.HistoryService"

    public static let listHistory = UnaryMethod<ListHistoryRequest, HistoryList>(service: name, method: "ListHistory")
}

/// `customer.v1.CardService`: the whole card in one round trip.
public enum CardService {
    public static let name = "customer.v1.CardService"

    public static let getCustomerCard = UnaryMethod<GetCustomerCardRequest, CustomerCard>(service: name, method: "GetCustomerCard")
}
