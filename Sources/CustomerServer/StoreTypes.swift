// The store and the API both name their records `Customer`, `User` and `UserRef`, and the store
// module shares its name with its main class, so `CustomerStore.Customer` cannot be spelled.
// This file imports only the store and gives its records unambiguous names for the rest of the module.
import CustomerStore

typealias StoredCustomer = Customer
typealias StoredUser = User
typealias StoredUserRef = UserRef
typealias Store = CustomerStore
