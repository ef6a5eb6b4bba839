import Foundation
import Storage
import VippsLogin

/// `velkommen check`: what an operator runs before (or instead of) guessing why logins fail. Each check
/// says what it found in one line; none needs a customer.
public enum ConfigurationCheck {
    public struct Result: Sendable {
        public var name: String
        public var passed: Bool
        public var detail: String

        public var line: String { (passed ? "ok    " : "FAIL  ") + name + ": " + detail }
    }

    public static func run(settings: [String: String]) async -> [Result] {
        var results: [Result] = []
        let configuration: AppConfiguration
        do {
            configuration = try AppConfiguration(settings: settings)
            try configuration.validate()
            results.append(Result(name: "configuration", passed: true, detail: "every setting is valid"))
        } catch {
            return [Result(name: "configuration", passed: false, detail: error.description)]
        }
        let https = configuration.secureCookies
        results.append(
            Result(
                name: "redirect URIs", passed: https || configuration.vipps == nil,
                detail: "\(configuration.callbackURL) and \(configuration.staffCallbackURL) must be registered in the Vipps portal"
                    + (https ? "" : "; Vipps accepts only https (set \(Setting.publicURL.name))")))
        results.append(
            Result(
                name: "vipps scopes", passed: true,
                detail: "a login from phone number asks for \(configuration.loginScopes.joined(separator: " ")); the browser flow for "
                    + LoginStarter.scopes.joined(separator: " ")))
        do {
            _ = try ConsentMapping.load(path: configuration.templatesDirectory + "/consents.json")
            if configuration.consentScope == .customFlow {
                results.append(
                    Result(
                        name: "consent mapping", passed: true,
                        detail: "customFlow checkbox ids map to channels in \(configuration.templatesDirectory)/consents.json"))
            }
        } catch {
            results.append(Result(name: "consent mapping", passed: false, detail: error.description))
        }
        if let wallet = configuration.appleWallet {
            // A signature of a small manifest proves that openssl runs and the certificate, key and WWDR belong together.
            do {
                _ = try await PassSigner(configuration: wallet).signature(of: Data("{}".utf8))
                // Wallet on a phone talks to the pass's web service over https only.
                let https = configuration.secureCookies
                results.append(
                    Result(
                        name: "apple wallet", passed: https,
                        detail: "passes of \(wallet.passTypeID) can be signed"
                            + (https ? "" : "; their web service \(configuration.baseURL)/wallet must be https (set \(Setting.publicURL.name))")))
            } catch {
                results.append(Result(name: "apple wallet", passed: false, detail: String(describing: error)))
            }
        }
        if let vipps = configuration.vipps {
            results += await checkVipps(vipps)
        } else {
            results.append(
                Result(name: "vipps", passed: true, detail: "no \(Setting.vippsClientID.rawValue): serve runs the simulator (demo, loopback only)"))
        }
        results.append(await checkDatabase(configuration))
        results.append(await checkTemplates(configuration))
        return results
    }

    static func checkVipps(_ vipps: VippsLoginConfiguration) async -> [Result] {
        let client = VippsLoginClient(configuration: vipps)
        var results: [Result] = []
        do {
            let document = try await client.discovery()
            results.append(Result(name: "vipps discovery", passed: true, detail: "issuer \(document.issuer) matches \(Setting.vippsIssuer.rawValue)"))
            let keys = try await client.signingKeyIDs()
            results.append(Result(name: "vipps keys", passed: !keys.isEmpty, detail: "\(keys.count) signing keys in the JWKS"))
        } catch {
            return [
                Result(name: "vipps discovery", passed: false, detail: "\(vipps.issuer.absoluteString).well-known/openid-configuration: \(error)")
            ]
        }
        // A made-up code tells the two apart: Vipps checks the client before the code.
        do {
            _ = try await client.exchangeRedirectCode("velkommen-check-\(UUID().uuidString)")
            results.append(Result(name: "vipps credentials", passed: false, detail: "Vipps accepted a made-up code"))
        } catch .invalidGrant {
            results.append(Result(name: "vipps credentials", passed: true, detail: "Vipps accepts the client id and secret"))
        } catch {
            results.append(Result(name: "vipps credentials", passed: false, detail: error.description))
        }
        return results
    }

    static func checkDatabase(_ configuration: AppConfiguration) async -> Result {
        // A check creates nothing: a mistyped path must not leave an empty database behind it.
        if case .sqlite(let path)? = try? DatabaseLocation(configuration.databasePath), !FileManager.default.fileExists(atPath: path) {
            return Result(
                name: "database", passed: false,
                detail: "\(path) does not exist; serve would create an empty database there (a new site), so check \(Setting.database.name)")
        }
        do {
            let pool = try VelkommenApp.openDatabase(
                configuration.databasePath, busyTimeoutMilliseconds: configuration.databaseBusyTimeoutMilliseconds)
            // An empty write transaction still takes the write lock: a read-only or locked database fails here.
            try await pool.write { _ in }
            let version = try await pool.schemaVersion()
            return Result(
                name: "database", passed: version == Schema.migrations.count,
                detail: "\(Self.shown(configuration.databasePath)) is writable, schema version \(version) of \(Schema.migrations.count)")
        } catch {
            return Result(name: "database", passed: false, detail: "\(Self.shown(configuration.databasePath)): \(error)")
        }
    }

    static func checkTemplates(_ configuration: AppConfiguration) async -> Result {
        do {
            _ = try await Views.load(from: configuration.templatesDirectory)
            let questions = try PreferenceQuestions.load(path: configuration.templatesDirectory + "/preferences.json")
            return Result(
                name: "templates", passed: true,
                detail: "\(configuration.templatesDirectory): templates, nb/en strings and \(questions.questions.count) questions load")
        } catch {
            return Result(name: "templates", passed: false, detail: "\(configuration.templatesDirectory): \(error)")
        }
    }

    /// The database as a report may show it: a PostgreSQL URL without its password.
    static func shown(_ location: String) -> String {
        (try? DatabaseLocation(location))?.description ?? "the database"
    }
}
