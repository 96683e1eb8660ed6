import CustomerAPI
import CustomerClient
import Foundation
import RPCClient
import Testing

/// A hostile caller among honest ones in the writer's commit groups (docs/HARDENING.md): creates
/// and updates run there without a savepoint of their own, so one that failed after changing a row
/// would roll back its whole group and every honest write in it would be answered UNAVAILABLE. None
/// may: the hostile caller's refusals change nothing, not even a step of the number sequence.
@Suite struct GroupCommitAttackTests {
    /// 64 connections creating customers (no idempotency key: the path without savepoints) while a
    /// hostile connection sends creates and updates that are refused by every check a create or an
    /// update has, before or at its one statement. (Which groups they share is the scheduler's
    /// doing; the honest creates and the refusals are sent at the same time.)
    @Test func refusedWritesBesideHonestCreatesLeaveNothingAndFailNone() async throws {
        try await withServer { server, client in
            let holder = try await client.customers.create(
                CustomerFields(number: 500, name: "Holder Oy", vatNumber: "FI01120389", country: "FI"))
            let victim = try await client.customers.create(CustomerFields(name: "Victim Oy", email: "victim@example.com"))
            let honest = (0..<64).map { _ in server.client() }
            let hostile = (0..<8).map { _ in server.client() }
            defer { for other in honest + hostile { other.close() } }
            let rounds = 5

            let outcome = try await withThrowingTaskGroup(of: Attack.self) { group in
                for (index, other) in honest.enumerated() {
                    group.addTask {
                        var created: [Customer] = []
                        for round in 0..<rounds {
                            created.append(try await other.channel.unary(
                                CustomerService.createCustomer.descriptor,
                                CreateCustomerRequest(fields: CustomerFields(name: "Honest \(index)-\(round)")),
                                as: Customer.self))
                        }
                        return Attack(created: created)
                    }
                }
                for other in hostile {
                    group.addTask {
                        var attack = Attack()
                        for _ in 0..<rounds {
                            for request in Self.refusedCreates(holder: holder) {
                                attack.refusals.append(await Self.refusal {
                                    let _: Customer = try await other.channel.unary(
                                        CustomerService.createCustomer.descriptor, request, as: Customer.self)
                                })
                            }
                            for request in Self.refusedUpdates(of: victim, holder: holder) {
                                attack.refusals.append(await Self.refusal {
                                    let _: Customer = try await other.channel.unary(
                                        CustomerService.updateCustomer.descriptor, request, as: Customer.self)
                                })
                            }
                        }
                        return attack
                    }
                }
                return try await group.reduce(into: Attack()) { total, part in
                    total.created += part.created
                    total.refusals += part.refusals
                }
            }

            #expect(outcome.refusals.count == hostile.count * rounds * 11)
            let unexpected = outcome.refusals.filter {
                ![.invalidArgument, .alreadyExists, .aborted, .notFound].contains($0.code)
            }
            #expect(unexpected.isEmpty, "refused otherwise than by its own checks: \(unexpected.prefix(5))")
            // Every honest create was acknowledged (a failure would have thrown above) and took the
            // next automatic number: no refused create moved the sequence.
            let numbers = outcome.created.map(\.number).sorted()
            #expect(numbers == Array(victim.number + 1...victim.number + Int64(honest.count * rounds)))
            let listed = try await client.customers.list(limit: 1000).customers
            #expect(Set(listed.map(\.id)) == Set(outcome.created.map(\.id) + [holder.id, victim.id]))
            for customer in outcome.created {
                let history = try await client.history.list(.customer, id: customer.id)
                #expect(history.map(\.action) == ["created"], "history of \(customer.name)")
                #expect(try await client.customers.get(id: customer.id) == customer)
            }
            #expect(try await client.customers.get(id: victim.id) == victim)
            #expect(try await client.customers.get(id: holder.id) == holder)
            #expect(try await client.history.list(.customer, id: victim.id).map(\.action) == ["created"])
        }
    }

    /// What one side of the attack brought back.
    private struct Attack: Sendable {
        var created: [Customer] = []
        var refusals: [Refusal] = []
    }

    /// How a hostile write was answered.
    private struct Refusal: Sendable, CustomStringConvertible {
        let code: StatusCode
        let message: String
        var description: String { "\(code) \(message)" }
    }

    /// Creates refused by a check (an invalid e-mail, an unknown industry, a number out of range, a
    /// VAT number another customer has, an account manager no user is) or by their INSERT (a taken
    /// number). Those without a number would take the next automatic one.
    private static func refusedCreates(holder: Customer) -> [CreateCustomerRequest] {
        [
            CreateCustomerRequest(fields: CustomerFields(name: "Bad Mail Oy", email: "not an address")),
            CreateCustomerRequest(fields: CustomerFields(name: "No Industry Oy", industry: "No such industry")),
            CreateCustomerRequest(fields: CustomerFields(number: 10_000_000_000, name: "Too Big Oy")),
            CreateCustomerRequest(fields: CustomerFields(name: "Twin Oy", vatNumber: holder.vatNumber, country: "FI")),
            CreateCustomerRequest(fields: CustomerFields(name: "Nobody's Oy", accountManager: "no-such-user")),
            CreateCustomerRequest(fields: CustomerFields(number: holder.number, name: "Taken Number Oy")),
        ]
    }

    /// Updates of `victim` refused by a check (a stale version, an invalid e-mail, a VAT number
    /// another customer has), by their UPDATE (a taken number), or naming no customer.
    private static func refusedUpdates(of victim: Customer, holder: Customer) -> [UpdateCustomerRequest] {
        [
            UpdateCustomerRequest(id: victim.id, expectedVersion: victim.version + 7, fields: CustomerFields(name: "Stale Oy")),
            UpdateCustomerRequest(id: victim.id, fields: CustomerFields(email: "not an address")),
            UpdateCustomerRequest(id: victim.id, fields: CustomerFields(vatNumber: holder.vatNumber, country: "FI")),
            UpdateCustomerRequest(id: victim.id, fields: CustomerFields(number: holder.number)),
            UpdateCustomerRequest(id: victim.id + 1_000_000, fields: CustomerFields(name: "Nobody Oy")),
        ]
    }

    /// How `call` was refused (OK when it was not).
    private static func refusal(_ call: () async throws -> Void) async -> Refusal {
        do {
            try await call()
            return Refusal(code: .ok, message: "not refused")
        } catch let error as RPCError {
            return Refusal(code: error.code, message: error.message)
        } catch {
            return Refusal(code: .unknown, message: "\(error)")
        }
    }
}
