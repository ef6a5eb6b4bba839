import Foundation
import Storage
import Testing

@testable import App

@Suite("The OpenAPI document describes the POS API's own types")
struct OpenAPIContractTests {
    static var schemas: [String: Any] {
        get throws {
            let data = try Data(contentsOf: TestApp.repository.appendingPathComponent("Templates/api/openapi.json"))
            let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        }
    }

    /// The property names of a schema, following `allOf`.
    static func properties(_ name: String, in schemas: [String: Any]) -> Set<String> {
        guard let schema = schemas[name] as? [String: Any] else { return [] }
        var names = Set((schema["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
        for part in schema["allOf"] as? [[String: Any]] ?? [] {
            if let reference = part["$ref"] as? String { names.formUnion(properties(String(reference.split(separator: "/").last!), in: schemas)) }
            names.formUnion((part["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
        }
        return names
    }

    /// The keys a type writes when every optional is set.
    static func keys(_ value: some Encodable) throws -> Set<String> {
        Set(try #require(try JSONSerialization.jsonObject(with: Data(PosAPIBody.encode(value))) as? [String: Any]).keys)
    }

    static var fullLogin: LoginRequest {
        var login = LoginRequest(
            id: "x", phoneHint: "4712345678", bindingMessage: "ABC-123", store: "s", terminal: "t", askConsents: true,
            createdAt: Date(), expiresAt: Date())
        login.confirmedAt = Date()
        login.landedAt = Date()
        login.completedAt = Date()
        login.failure = "f"
        return login
    }

    @Test("each schema has exactly the properties its type encodes")
    func schemasMatchTypes() throws {
        let schemas = try Self.schemas
        let start = PosAPIBody.LoginStart(phone: "1", qr: "q", bindingMessage: "auto", store: "s", terminal: "t", consents: true, ending: .app)
        #expect(Self.properties("LoginStart", in: schemas) == (try Self.keys(start)))
        #expect(Self.properties("LoginSummary", in: schemas) == (try Self.keys(PosAPIBody.LoginSummary(Self.fullLogin))))
        let member = PosAPIBody.MemberSummary(number: "12345674", displayName: "Ada L.", new: true)
        let offer = PosAPIBody.WelcomeOfferSummary(code: "K7QM-4XRD", validUntil: "v", text: ["nb": "n", "en": "e"], redeemedAt: "r")
        #expect(
            Self.properties("LoginDetails", in: schemas)
                == (try Self.keys(PosAPIBody.LoginDetails(Self.fullLogin, member: member, welcomeOffer: offer))))
        #expect(Self.properties("MemberSummary", in: schemas) == (try Self.keys(member)))
        #expect(Self.properties("WelcomeOfferSummary", in: schemas) == (try Self.keys(offer)))
        let redemption = PosAPIBody.Redemption(code: "c", redeemedAt: "r", store: "s", memberNumber: "12345674", text: ["nb": "n"])
        #expect(Self.properties("Redemption", in: schemas) == (try Self.keys(redemption)))
        let problem = PosAPIBody.ProblemDetails(type: "t", title: "t", status: 409, detail: "d", redeemedAt: "r", store: "s")
        #expect(Self.properties("Problem", in: schemas) == (try Self.keys(problem)))
    }

    @Test("the status enum lists every status a login can have")
    func statuses() throws {
        let status = try #require(try Self.schemas["Status"] as? [String: Any])
        #expect(Set(status["enum"] as? [String] ?? []) == Set(LoginRequest.Status.allCases.map(\.rawValue)))
    }
}
