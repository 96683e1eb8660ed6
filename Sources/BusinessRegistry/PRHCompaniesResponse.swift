/// The part of PRH's YTJ v3 `/companies` answer that is read.
///
/// Every name below is the one in PRH's OpenAPI document "Opendata YTJ-Api"
/// (https://avoindata.prh.fi/opendata-ytj-api/v3/schema?lang=en, components `Company`, `Name`,
/// `Address`, `CompanySituation`, `RegisteredEntry`), checked against a capture of a real answer
/// (`fi-prh-ytj-v3-companies-0112038-9-nokia.json`, verbatim from /work/shared/registry-samples).
/// Fields not read here (`euId`, `companyForms`, `mainBusinessLine`, `tradeRegisterStatus`,
/// `status`, `lastModified`, ...) are skipped by the decoder.
struct PRHCompaniesResponse: Decodable {
    var totalResults: Int?
    var companies: [PRHCompany]
}

struct PRHCompany: Decodable {
    /// `businessId.value`: `NNNNNNN-N`.
    struct Identifier: Decodable {
        var value: String
    }

    /// A name (schema `Name`): `type` "1" is the trade name (toiminimi), "2" a parallel name, "3"
    /// an auxiliary name (code set TLAJI); a former one has an `endDate` (and a `version` above 1).
    struct Name: Decodable {
        var name: String
        var type: String
        var registrationDate: String?
        var endDate: String?
    }

    /// `website.url`, as registered (often without a scheme: `www.nokia.com`).
    struct Website: Decodable {
        var url: String?
    }

    /// An address (schema `Address`); `type` 1 is the street (visiting) address, 2 the postal
    /// address. The schema gives an address no `endDate`: the answer lists the current ones only,
    /// so the latest registered of a type is the one in force.
    struct Address: Decodable {
        /// `postOffices[]`: the town in each language, `languageCode` "1" Finnish, "2" Swedish.
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
    }

    /// A proceeding (schema `CompanySituation`): `type` is one of the schema's enum `SANE`
    /// restructuring (yrityssaneeraus), `SELTILA` liquidation (selvitystila), `KONK` bankruptcy
    /// (konkurssi); in force while it has no `endDate`.
    struct Situation: Decodable {
        var type: String
        var registrationDate: String?
        var endDate: String?
    }

    /// An entry in one of the registers YTJ gathers (schema `RegisteredEntry`): `register` is the
    /// register (code set REK: "1" the Trade Register, "4" the Tax Administration's, "5"
    /// prepayment, "6" the VAT register, "7" employers), `type` the entry's status there (code set
    /// REK_KDI, e.g. "80" VAT-liable for business activity), `authority` who keeps it. The VAT
    /// register may hold several entries at once (business activity, real estate, primary
    /// production). An entry with an `endDate` has ended.
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
    /// The company's end date (it ceased and was deregistered); absent while it is in force.
    var endDate: String?
    var companySituations: [Situation]?
    var registeredEntries: [RegisteredEntry]?
}
