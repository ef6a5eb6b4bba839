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
        #expect(Self.properties("LoginDetails", in: schemas) == (try Self.keys(PosAPIBody.LoginDetails(Self.fullLogin))))
        #expect(
            Self.properties("Problem", in: schemas) == (try Self.keys(PosAPIBody.ProblemDetails(type: "t", title: "t", status: 400, detail: "d"))))
    }

    @Test("the status enum lists every status a login can have")
    func statuses() throws {
        let status = try #require(try Self.schemas["Status"] as? [String: Any])
        #expect(Set(status["enum"] as? [String] ?? []) == Set(LoginRequest.Status.allCases.map(\.rawValue)))
    }
}
