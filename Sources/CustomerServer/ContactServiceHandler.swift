import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.ContactService`.
struct ContactServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(ContactService.createContact,
                        requires: .manageContacts.and(.customers(.read, customer: \.customerId))) { request, context in
            let caller = try Caller.of(context)
            return Contact(
                try store.answering(context).createContact(
                    customerID: request.customerId, request.fields.stored, keywords: request.keywords,
                    roles: request.roles, by: caller.author))
        }
        router.register(ContactService.updateContact,
                        requires: .manageContacts.and(.customers(.read, contact: \.id))) { request, context in
            let caller = try Caller.of(context)
            return Contact(
                try store.answering(context).updateContact(
                    id: request.id, request.fields.stored, expectedVersion: request.expectedVersion, by: caller.author))
        }
        router.register(ContactService.getContact, requires: .customers(.read, contact: \.id)) { request, _ in
            Contact(try store.contact(id: request.id))
        }
        router.register(ContactService.listContacts,
                        requires: .customers(.read, customer: \.customerId)) { request, _ in
            let contacts = try store.contacts(
                customerID: request.customerId, includeDeactivated: request.includeDeactivated ?? false)
            return ContactList(contacts: contacts.map(Contact.init))
        }
        router.register(ContactService.deactivateContact,
                        requires: .manageContacts.and(.customers(.read, contact: \.id))) { request, context in
            let caller = try Caller.of(context)
            return Contact(
                try store.answering(context).setContactActive(id: request.id, false, expectedVersion: request.expectedVersion,
                                                              by: caller.author))
        }
        router.register(ContactService.activateContact,
                        requires: .manageContacts.and(.customers(.read, contact: \.id))) { request, context in
            let caller = try Caller.of(context)
            return Contact(
                try store.answering(context).setContactActive(id: request.id, true, expectedVersion: request.expectedVersion,
                                                              by: caller.author))
        }
        router.register(ContactService.deleteContact,
                        requires: .manageContacts.and(.customers(.read, contact: \.id))) { request, context in
            let caller = try Caller.of(context)
            guard request.confirm else {
                throw RPCError(
                    .failedPrecondition, field: "confirm",
                    "deleting contact \(request.id) erases the person's data and cannot be undone: send confirm=true to delete it, "
                        + "or deactivate it instead")
            }
            return Contact(try store.answering(context).deleteContact(id: request.id, by: caller.author))
        }
        router.register(ContactService.tagContact,
                        requires: .manageContacts.and(.customers(.read, contact: \.id))) { request, context in
            let caller = try Caller.of(context)
            return Contact(
                try store.answering(context).tagContact(id: request.id, keywords: request.keywords, roles: request.roles,
                                                        by: caller.author))
        }
        router.register(ContactService.untagContact,
                        requires: .manageContacts.and(.customers(.read, contact: \.id))) { request, context in
            let caller = try Caller.of(context)
            return Contact(
                try store.answering(context).untagContact(id: request.id, keywords: request.keywords, roles: request.roles,
                                                          by: caller.author))
        }
        router.register(ContactService.streamMailingList, requires: .visibleCustomers) { request, writer, context in
            let manager = try Caller.of(context).visibleCustomers.accountManagerID
            try store.mailingList(keyword: request.keyword, role: request.role, accountManagerID: manager,
                                  osUser: context.peer.uid) { entry in
                try context.checkCancellation()
                try writer.send(
                    MailingListEntry(
                        contactId: entry.contactID, firstName: entry.firstName, lastName: entry.lastName,
                        email: entry.email, customerId: entry.customerID, customerName: entry.customerName,
                        customerEmail: entry.customerEmail))
            }
        }
    }
}
