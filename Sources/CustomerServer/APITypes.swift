// See StoreTypes.swift: unambiguous names for the API's records.
import CustomerAPI

typealias APICustomer = Customer
typealias APIUser = User
typealias APIUserRef = UserRef
typealias APICustomerScope = CustomerScope
typealias APIPermissionProfile = PermissionProfile
