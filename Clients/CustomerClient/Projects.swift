/// `customer.v1.ProjectService`, `CollaborationService` and `FinancialService` as Swift calls.
public struct Projects: Sendable {
    let channel: ClientChannel

    public func createSalesCase(customerID: Int64, _ fields: ProjectFields, options: CallOptions = CallOptions()) async throws -> Project {
        try await channel.call(
            ProjectService.createProject, CreateProjectRequest(customerId: customerID, kind: .salesCase, fields: fields), options: options)
    }

    public func createProject(customerID: Int64, _ fields: ProjectFields, options: CallOptions = CallOptions()) async throws -> Project {
        try await channel.call(
            ProjectService.createProject, CreateProjectRequest(customerId: customerID, kind: .project, fields: fields), options: options)
    }

    public func update(id: Int64, _ fields: ProjectFields, expectedVersion: Int64? = nil, options: CallOptions = CallOptions())
        async throws -> Project
    {
        try await channel.call(
            ProjectService.updateProject, UpdateProjectRequest(id: id, expectedVersion: expectedVersion, fields: fields), options: options)
    }

    public func get(id: Int64, options: CallOptions = CallOptions()) async throws -> Project {
        try await channel.call(ProjectService.getProject, ProjectIDRequest(id: id), options: options)
    }

    public func list(customerID: Int64, filter: ListProjectsRequest.Filter = .all, options: CallOptions = CallOptions())
        async throws -> [Project]
    {
        try await channel.call(ProjectService.listProjects, ListProjectsRequest(customerId: customerID, filter: filter), options: options).projects
    }

    /// The sales case becomes a project with the same id and history.
    public func win(salesCaseID: Int64, _ fields: ProjectFields = ProjectFields(), options: CallOptions = CallOptions())
        async throws -> Project
    {
        try await channel.call(ProjectService.winSalesCase, WinSalesCaseRequest(id: salesCaseID, fields: fields), options: options)
    }

    public func lose(salesCaseID: Int64, reason: String, options: CallOptions = CallOptions()) async throws -> Project {
        try await channel.call(ProjectService.loseSalesCase, LoseSalesCaseRequest(id: salesCaseID, reason: reason), options: options)
    }

    // MARK: Collaboration

    public func addTask(projectID: Int64, _ name: String, assignee: String? = nil, dueOn: String? = nil, options: CallOptions = CallOptions())
        async throws -> ProjectTask
    {
        try await channel.call(
            CollaborationService.addProjectTask,
            AddProjectTaskRequest(projectId: projectID, name: name, assignee: assignee, dueOn: dueOn), options: options)
    }

    public func setTaskStatus(id: Int64, _ status: ProjectTask.Status, options: CallOptions = CallOptions()) async throws -> ProjectTask {
        try await channel.call(CollaborationService.setProjectTaskStatus, SetProjectTaskStatusRequest(id: id, status: status), options: options)
    }

    public func addNote(projectID: Int64, _ text: String, options: CallOptions = CallOptions()) async throws -> CollaborationNote {
        try await channel.call(CollaborationService.addNote, AddCollaborationNoteRequest(projectId: projectID, text: text), options: options)
    }

    /// Every task and note of every project of the customer, newest first.
    public func collaboration(customerID: Int64, options: CallOptions = CallOptions()) async throws -> [CollaborationItem] {
        try await channel.call(CollaborationService.listCollaboration, CustomerIDRequest(customerId: customerID), options: options).items
    }

    // MARK: Financial

    public func setForecast(_ request: SetForecastRequest, options: CallOptions = CallOptions()) async throws -> Forecast {
        try await channel.call(FinancialService.setForecast, request, options: options)
    }

    @discardableResult
    public func removeForecast(projectID: Int64, month: String, options: CallOptions = CallOptions()) async throws -> [Forecast] {
        try await channel.call(FinancialService.removeForecast, ForecastMonthRequest(projectId: projectID, month: month), options: options).forecasts
    }

    public func forecasts(projectID: Int64, options: CallOptions = CallOptions()) async throws -> [Forecast] {
        try await channel.call(FinancialService.listForecasts, ProjectIDRequest(id: projectID), options: options).forecasts
    }

    /// The financial tab: per currency, by month and in total, over `from`...`to` (YYYY-MM).
    public func financialSummary(customerID: Int64, from: String? = nil, to: String? = nil, options: CallOptions = CallOptions())
        async throws -> FinancialTab
    {
        try await channel.call(
            FinancialService.getFinancialSummary, GetFinancialSummaryRequest(customerId: customerID, from: from, to: to), options: options)
    }
}
