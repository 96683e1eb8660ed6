/// The part of PRH's YTJ v3 `/companies` answer that is read
/// (shape as in the sample `fi-prh-ytj-v3-companies-0112038-9-nokia.json`).
struct PRHCompaniesResponse: Decodable {
    var totalResults: Int?
    var companies: [PRHCompany]
}

struct PRHCompany: Decodable {
    struct Identifier: Decodable {
        var value: String
    }

    /// A name; `type` "1" is the trade name (toiminimi), "2" a parallel name, "3" an auxiliary name.
    struct Name: Decodable {
        var name: String
        var type: String
        var registrationDate: String?
        var endDate: String?
    }

    struct Website: Decodable {
        var url: String?
    }

    /// An address; `type` 1 is the street (visiting) address, 2 the postal address.
    struct Address: Decodable {
        struct PostOffice: Decodable {
            var city: String
            var languageCode: String?
        }

        var type: Int
        var street: String?
        var postCode: String?
        var postOffices: [PostOffice]?
        var postOfficeBox: String?
        var buildingNumber: String?
        var entrance: String?
        var apartmentNumber: String?
        var apartmentIdSuffix: String?
        var co: String?
        var registrationDate: String?
        /// Set on a former address: never offered as the current one.
        var endDate: String?
    }

    /// A proceeding: `type` `KONK` bankruptcy (konkurssi), `SELTILA` liquidation (selvitystila),
    /// `SANE` restructuring (yrityssaneeraus); in force while it has no `endDate`.
    struct Situation: Decodable {
        var type: String
        var registrationDate: String?
        var endDate: String?
    }

    /// An entry in one of the registers YTJ gathers; `register` "1" is the Trade Register,
    /// "4" the Tax Administration's, "5" prepayment, "6" the VAT register, "7" employers.
    /// An entry with an `endDate` has ended.
    struct RegisteredEntry: Decodable {
        var type: String?
        var register: String?
        var registrationDate: String?
        var endDate: String?
    }

    var businessId: Identifier
    var names: [Name]
    var website: Website?
    var addresses: [Address]?
    /// The date the business id ended (the company was deregistered); absent while it is in force.
    var endDate: String?
    var companySituations: [Situation]?
    var registeredEntries: [RegisteredEntry]?
}
