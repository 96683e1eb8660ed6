// The store and the API both name their records `Customer`, `User`, `Address`, `Contact` and so
// on, and the store module shares its name with its main class, so `CustomerStore.Customer`
// cannot be spelled. This file imports only the store and gives its records unambiguous names
// for the rest of the module.
import CustomerStore

typealias StoredCustomer = Customer
typealias StoredUser = User
typealias StoredUserRef = UserRef
typealias StoredAddress = Address
typealias StoredAddressFields = AddressFields
typealias StoredContact = Contact
typealias StoredContactRef = ContactRef
typealias StoredContactFields = ContactFields
typealias StoredLabel = Label
typealias StoredActivity = Activity
typealias StoredActivityList = ActivityList
typealias StoredHistoryEntry = HistoryEntry
typealias StoredContactInformation = ContactInformation
typealias StoredInvoicingReadiness = InvoicingReadiness
typealias StoredProject = Project
typealias StoredProjectFields = ProjectFields
typealias StoredProjectTask = ProjectTask
typealias StoredCollaborationNote = CollaborationNote
typealias StoredCollaborationItem = CollaborationItem
typealias StoredForecast = Forecast
typealias StoredCurrencySummary = CurrencySummary
typealias StoredFinancialSummary = FinancialSummary
typealias StoredInvoice = Invoice
typealias StoredCustomerSettings = CustomerSettings
typealias StoredSegment = Segment
typealias StoredIndustry = Industry
typealias StoredCardTabs = CardTabs
typealias Store = CustomerStore
typealias StoredCustomerScope = CustomerScope
typealias StoredPermissionProfile = PermissionProfile
