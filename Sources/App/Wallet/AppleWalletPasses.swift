import Content
import Crypto
import Foundation
import Storage

/// Apple Wallet store cards of the member card: `pass.json` (name, member number, the same Code 128
/// barcode as `/card`), the merchant's images, `manifest.json` with every file's SHA-1, and the
/// detached signature, zipped as a `.pkpass`. Each pass carries the address of our PassKit web service
/// and a token for it, derived from its serial with a server key (so no token is stored).
struct AppleWalletPasses: Sendable {
    let configuration: AppleWalletConfiguration
    let style: WalletStyle
    let signer: PassSigner
    let webServiceURL: String
    let tokenKey: SymmetricKey
    let views: Views

    /// What a pass shows; a change of it is a new version of the pass.
    struct Content: Sendable, Equatable {
        var name: String?
        var number: Int?
        var voided: Bool
        /// The open welcome offer, "K7QM-4XRD · 10 % på første kjøp"; gone from the pass once redeemed.
        var offer: String? = nil

        static let void = Content(name: nil, number: nil, voided: true)

        var key: String {
            voided ? "void" : Tokens.sha256Hex(["card", name ?? "", number.map(String.init) ?? "", offer ?? ""].joined(separator: "\u{1F}"))
        }
    }

    func token(serial: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(("apple-wallet\n" + serial).utf8), using: tokenKey)).base64URLEncoded
    }

    /// `Authorization: ApplePass <token>` for this serial, compared in constant time.
    func isAuthorized(_ header: String?, serial: String) -> Bool {
        guard let header, header.hasPrefix("ApplePass ") else { return false }
        let given = Data(header.dropFirst("ApplePass ".count).utf8)
        let expected = Data(token(serial: serial).utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The signed `.pkpass`.
    func package(serial: String, content: Content, language: Language) async throws -> Data {
        let pass = try JSONSerialization.data(withJSONObject: passJSON(serial: serial, content: content, language: language), options: [.sortedKeys])
        var files: [(name: String, data: Data)] = [("pass.json", pass)] + style.images
        let manifest = try JSONSerialization.data(
            withJSONObject: Dictionary(uniqueKeysWithValues: files.map { ($0.name, Self.sha1Hex($0.data)) }), options: [.sortedKeys])
        files.append(("manifest.json", manifest))
        files.append(("signature", try await signer.signature(of: manifest)))
        return StoredZip.archive(files)
    }

    func passJSON(serial: String, content: Content, language: Language) -> [String: Any] {
        func text(_ key: String) -> String { views.text(key, in: language) }
        var pass: [String: Any] = [
            "formatVersion": 1, "passTypeIdentifier": configuration.passTypeID, "teamIdentifier": configuration.teamID,
            "serialNumber": serial, "organizationName": style.organizationName, "description": style.description(in: language),
            "logoText": style.logoText(in: language), "backgroundColor": style.backgroundColor, "foregroundColor": style.foregroundColor,
            "labelColor": style.labelColor, "webServiceURL": webServiceURL, "authenticationToken": token(serial: serial),
            "sharingProhibited": true,
        ]
        if content.voided {
            // Erased: nothing of the member stays on the pass, and Wallet shows it as void.
            pass["voided"] = true
            pass["storeCard"] = ["primaryFields": [["key": "status", "label": text("card_title"), "value": text("wallet_ended")]]]
            return pass
        }
        var card: [String: Any] = [
            "primaryFields": [["key": "name", "label": text("wallet_member"), "value": content.name ?? ""]],
            "backFields": [["key": "how", "label": text("wallet_how"), "value": text("card_how")]],
        ]
        if let number = content.number {
            card["secondaryFields"] = [["key": "number", "label": text("card_number"), "value": MemberNumber.grouped(number)]]
            let barcode: [String: Any] = [
                "format": "PKBarcodeFormatCode128", "message": MemberNumber.digits(number), "messageEncoding": "iso-8859-1",
                "altText": MemberNumber.grouped(number),
            ]
            pass["barcodes"] = [barcode]
        }
        if let offer = content.offer { card["auxiliaryFields"] = [["key": "offer", "label": text("card_offer_heading"), "value": offer]] }
        pass["storeCard"] = card
        return pass
    }

    static func sha1Hex(_ data: Data) -> String {
        Insecure.SHA1.hash(data: data).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
