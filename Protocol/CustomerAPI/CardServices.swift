import RPCCore

/// `customer.v1.ProjectService`: sales cases and projects.
public enum ProjectService {
    public static let name = "customer.v1.ProjectService"

    public static let createProject = UnaryMethod<CreateProjectRequest, Project>(
        service: name, method: "CreateProject", acceptsIdempotencyKey: true)
    public static let updateProject = UnaryMethod<UpdateProjectRequest, Project>(
        service: name, method: "UpdateProject",
        summary: "One whose every given field equals the stored value once normalised changes nothing (the project as it "
            + "is, its version unchanged, no history entry, no change-feed event).",
        acceptsIdempotencyKey: true)
    public static let getProject = UnaryMethod<ProjectIDRequest, Project>(service: name, method: "GetProject")
    public static let listProjects = UnaryMethod<ListProjectsRequest, ProjectList>(service: name, method: "ListProjects")
    public static let winSalesCase = UnaryMethod<WinSalesCaseRequest, Project>(
        service: name, method: "WinSalesCase",
        summary: "The sales case becomes a project: same id, same history.", acceptsIdempotencyKey: true)
    public static let loseSalesCase = UnaryMethod<LoseSalesCaseRequest, Project>(
        service: name, method: "LoseSalesCase", acceptsIdempotencyKey: true)
}

/// `customer.v1.CollaborationService`: project tasks and collaboration notes.
public enum CollaborationService {
    public static let name = "customer.v1.CollaborationService"

    public static let addProjectTask = UnaryMethod<AddProjectTaskRequest, ProjectTask>(
        service: name, method: "AddProjectTask", acceptsIdempotencyKey: true)
    public static let setProjectTaskStatus = UnaryMethod<SetProjectTaskStatusRequest, ProjectTask>(
        service: name, method: "SetProjectTaskStatus", acceptsIdempotencyKey: true)
    public static let addNote = UnaryMethod<AddCollaborationNoteRequest, CollaborationNote>(
        service: name, method: "AddNote", acceptsIdempotencyKey: true)
    public static let listCollaboration = UnaryMethod<CustomerIDRequest, CollaborationTab>(
        service: name, method: "ListCollaboration",
        summary: "Every task and note of every project of the customer, newest first.")
}

/// `customer.v1.FinancialService`: forecasts and the financial tab. Needs the financial-figures right.
public enum FinancialService {
    public static let name = "customer.v1.FinancialService"

    public static let setForecast = UnaryMethod<SetForecastRequest, Forecast>(
        service: name, method: "SetForecast",
        summary: "Setting a month's forecast to the amounts and currency it has changes nothing (no history entry, no "
            + "change-feed event).",
        acceptsIdempotencyKey: true)
    public static let removeForecast = UnaryMethod<ForecastMonthRequest, ForecastList>(
        service: name, method: "RemoveForecast", acceptsIdempotencyKey: true)
    public static let listForecasts = UnaryMethod<ProjectIDRequest, ForecastList>(service: name, method: "ListForecasts")
    public static let getFinancialSummary = UnaryMethod<GetFinancialSummaryRequest, FinancialTab>(service: name, method: "GetFinancialSummary")
}

/// `customer.v1.SettingsService`: invoicing defaults, market segments and industries.
public enum SettingsService {
    public static let name = "customer.v1.SettingsService"

    public static let getSettings = UnaryMethod<CustomerIDRequest, CustomerSettings>(service: name, method: "GetSettings")
    public static let updateSettings = UnaryMethod<UpdateCustomerSettingsRequest, CustomerSettings>(
        service: name, method: "UpdateSettings",
        summary: "One whose every given field equals the stored value once normalised changes nothing (the settings as it "
            + "is, their version unchanged, no history entry, no change-feed event).",
        acceptsIdempotencyKey: true)
    public static let createSegment = UnaryMethod<CreateSegmentRequest, Segment>(
        service: name, method: "CreateSegment", acceptsIdempotencyKey: true)
    public static let updateSegment = UnaryMethod<UpdateSegmentRequest, Segment>(
        service: name, method: "UpdateSegment",
        summary: "Renames and/or moves the segment in one write: a refused move renames nothing. `parentId` and "
            + "`moveToRoot` together are INVALID_ARGUMENT.", acceptsIdempotencyKey: true)
    public static let deleteSegment = UnaryMethod<DeleteSegmentRequest, SegmentList>(
        service: name, method: "DeleteSegment", acceptsIdempotencyKey: true)
    public static let listSegments = UnaryMethod<EmptyRequest, SegmentList>(service: name, method: "ListSegments")
    public static let setCustomerSegments = UnaryMethod<SetCustomerSegmentsRequest, SegmentList>(
        service: name, method: "SetCustomerSegments",
        summary: "At most 1000 distinct segment ids (INVALID_ARGUMENT on segmentIds beyond).", acceptsIdempotencyKey: true)
    public static let createIndustry = UnaryMethod<IndustryRequest, Industry>(
        service: name, method: "CreateIndustry", acceptsIdempotencyKey: true)
    public static let renameIndustry = UnaryMethod<IndustryRequest, Industry>(
        service: name, method: "RenameIndustry", acceptsIdempotencyKey: true)
    public static let deleteIndustry = UnaryMethod<IndustryRequest, IndustryList>(
        service: name, method: "DeleteIndustry", acceptsIdempotencyKey: true)
    public static let listIndustries = UnaryMethod<EmptyRequest, IndustryList>(service: name, method: "ListIndustries")
}

/// `customer.v1.FileService`: files (uploaded in chunks, downloaded as a stream) and links.
public enum FileService {
    public static let name = "customer.v1.FileService"

    public static let uploadFile = MethodDescriptor(
        service: name, method: "UploadFile", kind: .clientStreaming,
        summary: "Client-streaming: a header, then data chunks; size and SHA-256 are checked on arrival. `sha256` is "
            + "64 hexadecimal digits, either case (FileInfo answers it in lower case); any other text is INVALID_ARGUMENT "
            + "on `sha256`. "
            + "The caller is checked again on each chunk received: deactivated (UNAUTHENTICATED) or no longer granted "
            + "the right on the customer (PERMISSION_DENIED) while it sends, the upload is refused at its next chunk "
            + "and nothing of it is kept. Takes an `idempotency-key`: the request is the header and the content "
            + "(however split into chunks), so an upload sent again after its answer was lost stores the file once.")
    public static let downloadFile = ServerStreamingMethod<FileIDRequest, FileChunk>(
        service: name, method: "DownloadFile",
        summary: "The first message announces the file's size and SHA-256 (its data empty); the content follows in chunks "
            + "of at most 64 KiB, smaller for a client whose HELLO announced a smaller max frame size, so each fits its frame. "
            + "The caller is checked again before each chunk: deactivated (UNAUTHENTICATED) or no longer granted "
            + "the right on the file's customer (PERMISSION_DENIED), the download ends at its next chunk.")
    public static let renameFile = UnaryMethod<RenameRequest, FileInfo>(
        service: name, method: "RenameFile", acceptsIdempotencyKey: true)
    public static let removeFile = UnaryMethod<FileIDRequest, FilesTab>(
        service: name, method: "RemoveFile", acceptsIdempotencyKey: true)
    public static let addLink = UnaryMethod<AddLinkRequest, Link>(
        service: name, method: "AddLink", acceptsIdempotencyKey: true)
    public static let renameLink = UnaryMethod<RenameRequest, Link>(
        service: name, method: "RenameLink", acceptsIdempotencyKey: true)
    public static let removeLink = UnaryMethod<FileIDRequest, FilesTab>(
        service: name, method: "RemoveLink", acceptsIdempotencyKey: true)
    public static let listFiles = UnaryMethod<CustomerIDRequest, FilesTab>(
        service: name, method: "ListFiles",
        summary: "Customer files and links and those of its projects.")
}

/// `customer.v1.InvoiceService`: minimal invoices (snapshots), for the deletion rule.
public enum InvoiceService {
    public static let name = "customer.v1.InvoiceService"

    public static let issueInvoice = UnaryMethod<IssueInvoiceRequest, Invoice>(
        service: name, method: "IssueInvoice", acceptsIdempotencyKey: true)
    public static let getInvoice = UnaryMethod<InvoiceIDRequest, Invoice>(service: name, method: "GetInvoice")
    public static let listInvoices = UnaryMethod<CustomerIDRequest, InvoiceList>(service: name, method: "ListInvoices")
}
