import Crypto
import Foundation
import JWTKit
import Storage
import TestSupport
import Testing

@testable import App

/// The member card in the phone's wallet, with a test CA in the place of Apple's and a test key in the
/// place of Google's: the pass's files and signature checked with tools that are not ours (Python's
/// zipfile, `openssl smime -verify`), and Apple's PassKit web service walked as a device would.
@Suite("The member card in Apple Wallet and Google Wallet", .serialized)
struct WalletPassTests {
    static let ada = "c06c4afe-d9e1-4c5d-939a-177d752a0944"

    /// A request as Wallet on a phone sends it.
    static func device(
        _ port: Int, _ method: String, _ path: String, token: String? = nil, body: String? = nil, headers: [String: String] = [:]
    ) async throws -> RawClient.Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let token { head += "Authorization: ApplePass \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        let client = try RawClient(port: port, timeout: 15)
        client.send(Array((head + "\r\n" + (body ?? "")).utf8))
        return try await client.readResponse()
    }

    /// Ada, enrolled at the till and landed in a browser that is now signed in as her.
    static func enrolledMember(_ harness: OnboardingHarness) async throws -> Browser {
        let browser = Browser(port: harness.app.port)
        let (_, authReqID) = try await harness.startLogin()
        _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
        return browser
    }

    static func passJSON(_ folder: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("pass.json"))) as? [String: Any])
    }

    @Test("a signed pass: every manifest hash matches, openssl verifies the signature, a changed byte fails it")
    func signedPass() async throws {
        let chain = try TestWalletCertificates.make()
        defer { chain.remove() }
        try await OnboardingHarness.with(app: { chain.configure(&$0) }) { harness in
            let browser = try await Self.enrolledMember(harness)
            let card = try await browser.get("/card")
            #expect(card.text.contains("href=\"/card.pkpass\"") && card.text.contains("Legg til i Apple Wallet"))
            #expect(try await browser.get("/welcome").text.contains("Legg til i Apple Wallet"))
            let response = try await browser.get("/card.pkpass")
            #expect(response.status == 200 && response.header("Content-Type") == "application/vnd.apple.pkpass")
            let folder = try chain.unzip(Data(response.body), into: "first")
            let manifest = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as? [String: String])
            #expect(Set(manifest.keys).isSuperset(of: ["pass.json", "icon.png", "icon@2x.png", "logo.png"]))
            for (name, hash) in manifest {
                #expect(AppleWalletPasses.sha1Hex(try Data(contentsOf: folder.appendingPathComponent(name))) == hash, "\(name)")
            }
            let verify = ["smime", "-verify", "-binary", "-inform", "DER", "-purpose", "any", "-CAfile", chain.path + "/ca.pem", "-out", "/dev/null"]
            #expect(
                try chain.openssl(verify + ["-in", folder.path + "/signature", "-content", folder.path + "/manifest.json"], check: false) == 0)
            var tampered = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
            tampered[tampered.count / 2] ^= 0x01
            try tampered.write(to: folder.appendingPathComponent("tampered.json"))
            #expect(
                try chain.openssl(verify + ["-in", folder.path + "/signature", "-content", folder.path + "/tampered.json"], check: false) != 0,
                "one changed byte fails the signature")

            let pass = try Self.passJSON(folder)
            let member = try #require(try await MemberStore(pool: harness.app.app.database).find(sub: Self.ada))
            let barcode = try #require((pass["barcodes"] as? [[String: Any]])?.first)
            #expect(
                barcode["message"] as? String == MemberNumber.digits(member.memberNumber) && barcode["format"] as? String == "PKBarcodeFormatCode128")
            #expect(pass["passTypeIdentifier"] as? String == TestWalletCertificates.passTypeID && pass["teamIdentifier"] as? String == "ABCDE12345")
            #expect(pass["webServiceURL"] as? String == OnboardingHarness.publicURL + "/wallet")
            #expect(((pass["storeCard"] as? [String: Any])?["primaryFields"] as? [[String: Any]])?.first?["value"] as? String == "Ada Lovelace")
        }
    }

    @Test("the PassKit web service: register, a new name lists the pass as updated, the new pass fetched; erasure voids it")
    func webService() async throws {
        let chain = try TestWalletCertificates.make()
        defer { chain.remove() }
        try await OnboardingHarness.with(app: { chain.configure(&$0) }) { harness in
            let port = harness.app.port
            let browser = try await Self.enrolledMember(harness)
            let first = try Self.passJSON(try chain.unzip(Data(try await browser.get("/card.pkpass").body), into: "first"))
            let serial = try #require(first["serialNumber"] as? String)
            let token = try #require(first["authenticationToken"] as? String)
            let type = TestWalletCertificates.passTypeID
            let registration = "/wallet/v1/devices/device-1/registrations/\(type)/\(serial)"

            #expect(try await Self.device(port, "POST", registration, token: "wrong-token", body: #"{"pushToken": "p1"}"#).status == 401)
            #expect(try await Self.device(port, "POST", registration, token: token, body: #"{"pushToken": "p1"}"#).status == 201)
            #expect(try await Self.device(port, "POST", registration, token: token, body: #"{"pushToken": "p1"}"#).status == 200)
            let list = "/wallet/v1/devices/device-1/registrations/\(type)"
            let all = try await Self.device(port, "GET", list)
            let listed = try #require(try JSONSerialization.jsonObject(with: Data(all.body)) as? [String: Any])
            #expect(listed["serialNumbers"] as? [String] == [serial])
            let tag = try #require(listed["lastUpdated"] as? String)
            #expect(try await Self.device(port, "GET", list + "?passesUpdatedSince=\(tag)").status == 204, "nothing changed since")
            let fetched = try await Self.device(port, "GET", "/wallet/v1/passes/\(type)/\(serial)", token: token)
            #expect(fetched.status == 200)
            let modified = try #require(fetched.header("Last-Modified"))
            let unchanged = try await Self.device(
                port, "GET", "/wallet/v1/passes/\(type)/\(serial)", token: token, headers: ["If-Modified-Since": modified])
            #expect(unchanged.status == 304)

            // The member's name changes (in Vipps, brought by a login): the pass is listed as updated and comes anew.
            try await harness.app.app.database.write { try $0.execute("UPDATE members SET name = 'Ada King' WHERE sub = ?", [Self.ada]) }
            let changed = try await Self.device(port, "GET", list + "?passesUpdatedSince=\(tag)")
            #expect((try JSONSerialization.jsonObject(with: Data(changed.body)) as? [String: Any])?["serialNumbers"] as? [String] == [serial])
            let renewed = try await Self.device(
                port, "GET", "/wallet/v1/passes/\(type)/\(serial)", token: token, headers: ["If-Modified-Since": modified])
            #expect(renewed.status == 200)
            let renamed = try Self.passJSON(try chain.unzip(Data(renewed.body), into: "renamed"))
            #expect(((renamed["storeCard"] as? [String: Any])?["primaryFields"] as? [[String: Any]])?.first?["value"] as? String == "Ada King")

            // Erasure: the pass is void and says nothing of the member.
            let me = try await browser.get("/me")
            let deleted = try await browser.post(
                "/me/delete", form: [("csrf", try #require(Browser.hidden("csrf", in: me.text))), ("confirm", "yes")])
            #expect(deleted.status == 200)
            let afterErasure = try await Self.device(port, "GET", list + "?passesUpdatedSince=\(tag)")
            #expect((try JSONSerialization.jsonObject(with: Data(afterErasure.body)) as? [String: Any])?["serialNumbers"] as? [String] == [serial])
            let voided = try await Self.device(port, "GET", "/wallet/v1/passes/\(type)/\(serial)", token: token)
            let folder = try chain.unzip(Data(voided.body), into: "void")
            let void = try Self.passJSON(folder)
            #expect(void["voided"] as? Bool == true && void["barcodes"] == nil)
            let text = try String(contentsOf: folder.appendingPathComponent("pass.json"), encoding: .utf8)
            #expect(!text.contains("Ada") && !text.contains("King"), "nothing of the member on a void pass")
            #expect(try await Self.device(port, "DELETE", registration, token: token).status == 200)
            #expect(try await Self.device(port, "GET", list).status == 204)
            #expect(try await Self.device(port, "POST", "/wallet/v1/log", body: #"{"logs": ["x"]}"#).status == 200)
        }
    }

    @Test("Google Wallet: the link's JWT is signed with the service account key and carries the card's barcode")
    func googleWallet() async throws {
        let chain = try TestWalletCertificates.make()
        defer { chain.remove() }
        try await OnboardingHarness.with(app: { chain.configure(&$0) }) { harness in
            let browser = try await Self.enrolledMember(harness)
            let card = try await browser.get("/card").text
            #expect(card.contains("Lagre i Google Wallet"))
            #expect(try await browser.get("/welcome").text.contains("href=\"/card/google-wallet\""), "the welcome page offers both wallets")
            let redirect = try await browser.get("/card/google-wallet")
            #expect(redirect.status == 303 && redirect.header("Location")?.hasPrefix("https://pay.google.com/gp/v/save/") == true)
            let prefix = "https://pay.google.com/gp/v/save/"
            let start = try #require(card.range(of: prefix))
            let jwt = String(card[start.upperBound...].prefix { $0 != "\"" })
            let keys = JWTKeyCollection()
            await keys.add(
                rsa: try Insecure.RSA.PublicKey(pem: try String(contentsOfFile: chain.path + "/google.pub", encoding: .utf8)),
                digestAlgorithm: .sha256)
            let claims = try await keys.verify(jwt, as: GoogleWalletLinks.SaveClaims.self)
            #expect(claims.typ == "savetowallet" && claims.aud == "google" && claims.iss == "wallet@velkommen-test.iam.gserviceaccount.com")
            #expect(claims.origins == [OnboardingHarness.publicURL])
            let member = try #require(try await MemberStore(pool: harness.app.app.database).find(sub: Self.ada))
            let object = try #require(claims.payload.loyaltyObjects.first)
            #expect(
                object["barcode"]
                    == .object([
                        "type": .string("CODE_128"), "value": .string(MemberNumber.digits(member.memberNumber)),
                        "alternateText": .string(MemberNumber.grouped(member.memberNumber)),
                    ]))
            #expect(object["classId"] == claims.payload.loyaltyClasses.first?["id"])
            // A key of another account does not verify it.
            let other = JWTKeyCollection()
            let otherKey = try Insecure.RSA.PrivateKey(pem: try String(contentsOfFile: chain.path + "/wwdr.key", encoding: .utf8))
            await other.add(rsa: otherKey.publicKey, digestAlgorithm: .sha256)
            await #expect(throws: (any Error).self) { _ = try await other.verify(jwt, as: GoogleWalletLinks.SaveClaims.self) }
        }
    }

    @Test("wallet settings: all five Apple files or none, each named when missing or unreadable")
    func settings() throws {
        #expect(try AppConfiguration(settings: [:]).appleWallet == nil)
        do {
            _ = try AppConfiguration(settings: ["VELKOMMEN_WALLET_PASS_TYPE_ID": "pass.no.example"])
            Issue.record("half a wallet accepted")
        } catch {
            #expect(error.description.contains("--wallet-team-id (VELKOMMEN_WALLET_TEAM_ID)") && error.description.contains("--wallet-wwdr"))
        }
        do {
            _ = try AppConfiguration(settings: [
                "VELKOMMEN_WALLET_PASS_TYPE_ID": "pass.no.example", "VELKOMMEN_WALLET_TEAM_ID": "ABCDE12345",
                "VELKOMMEN_WALLET_CERTIFICATE": "/nonexistent/pass.pem", "VELKOMMEN_WALLET_KEY": "/nonexistent/pass.key",
                "VELKOMMEN_WALLET_WWDR": "/nonexistent/wwdr.pem",
            ])
            Issue.record("unreadable certificate accepted")
        } catch {
            #expect(error.description.contains("--wallet-certificate") && error.description.contains("/nonexistent/pass.pem"))
        }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(settings: ["VELKOMMEN_GOOGLE_WALLET_ISSUER_ID": "123"]) }
    }
}
