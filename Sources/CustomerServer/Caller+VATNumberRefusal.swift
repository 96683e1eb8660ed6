import CustomerStore

extension Caller {
    /// `error` as this caller may see it: a refused duplicate VAT number names the customer that
    /// has it (id, number, name), which a caller reading own customers only may not learn, so it
    /// gets the refusal without the name (before redteam20 a Consultant creating a customer, or
    /// setting its own customer's VAT number, was told another account manager's customer).
    func withholdingCustomers(_ error: any Error) -> any Error {
        guard rights.readCustomers != .all, let refusal = error as? StoreError, refusal.isVATNumberTaken else {
            return error
        }
        return StoreError.vatNumberTakenUnnamed
    }
}
