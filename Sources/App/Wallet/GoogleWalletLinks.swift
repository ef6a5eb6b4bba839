import Foundation
import JWTKit
import Storage

/// "Save to Google Wallet" links: a JWT (`typ: savetowallet`) signed with the operator's service
/// account key, carrying the club's loyalty class and the member's loyalty object with the same
/// barcode as `/card`. Google creates both when the member saves; nothing is called from here.
struct GoogleWalletLinks: Sendable {
    let configuration: GoogleWalletConfiguration
    let keys: JWTKeyCollection
    let style: WalletStyle
    /// Our site's address: the JWT's allowed origin and the logo's.
    let origin: String

    static func make(
        _ configuration: GoogleWalletConfiguration, style: WalletStyle, origin: String
    ) async throws(ConfigurationError) -> GoogleWalletLinks {
        let keys = JWTKeyCollection()
        do {
            await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: configuration.privateKeyPEM), digestAlgorithm: .sha256)
        } catch {
            throw ConfigurationError("\(Setting.googleWalletKey.name): the service account's private_key is not an RSA key in PEM")
        }
        return GoogleWalletLinks(configuration: configuration, keys: keys, style: style, origin: origin)
    }

    struct SaveClaims: JWTPayload {
        var iss: String
        var aud: String
        var typ: String
        var iat: Int
        var origins: [String]
        var payload: Payload

        struct Payload: Codable, Sendable {
            var loyaltyClasses: [[String: JSONValue]]
            var loyaltyObjects: [[String: JSONValue]]
        }

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    var classID: String { configuration.issuerID + ".velkommen-club" }

    /// The link for the member's card; `serial` names the object (the same as the Apple pass's).
    func link(serial: String, name: String, number: Int, now: Date = Date()) async throws -> String {
        let loyaltyClass: [String: JSONValue] = [
            "id": .string(classID), "issuerName": .string(style.organizationName), "programName": .string(style.logoText(in: .nb)),
            "programLogo": .object(["sourceUri": .object(["uri": .string(origin + "/wallet/images/icon@3x.png")])]),
            "hexBackgroundColor": .string(style.googleBackgroundColor), "reviewStatus": .string("UNDER_REVIEW"),
        ]
        let object: [String: JSONValue] = [
            "id": .string(configuration.issuerID + "." + serial), "classId": .string(classID), "state": .string("ACTIVE"),
            "accountId": .string(MemberNumber.digits(number)), "accountName": .string(name),
            "barcode": .object([
                "type": .string("CODE_128"), "value": .string(MemberNumber.digits(number)), "alternateText": .string(MemberNumber.grouped(number)),
            ]),
        ]
        let claims = SaveClaims(
            iss: configuration.serviceAccountEmail, aud: "google", typ: "savetowallet", iat: Int(now.timeIntervalSince1970), origins: [origin],
            payload: SaveClaims.Payload(loyaltyClasses: [loyaltyClass], loyaltyObjects: [object]))
        return "https://pay.google.com/gp/v/save/" + (try await keys.sign(claims))
    }
}

/// Enough JSON for Google's objects, as Codable values.
enum JSONValue: Codable, Sendable, Equatable {
    case string(String)
    case object([String: JSONValue])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .object(let object): try container.encode(object)
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}
