import Foundation

/// Apple Wallet: the Pass Type ID, the team, and the PEM files that sign passes (the Pass Type ID
/// certificate, its key, Apple's WWDR intermediate). All five or none: a half-configured wallet is
/// named at start-up, not found by a customer.
public struct AppleWalletConfiguration: Sendable, Equatable {
    public var passTypeID: String
    public var teamID: String
    public var certificatePath: String
    public var keyPath: String
    public var wwdrPath: String

    public init(passTypeID: String, teamID: String, certificatePath: String, keyPath: String, wwdrPath: String) {
        self.passTypeID = passTypeID
        self.teamID = teamID
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.wwdrPath = wwdrPath
    }

    /// Nil when none of the five is set.
    init?(settings values: [String: String]) throws(ConfigurationError) {
        let settings: [Setting] = [.walletPassTypeID, .walletTeamID, .walletCertificate, .walletKey, .walletWWDR]
        let given = settings.map { values[$0.rawValue].flatMap { $0.isEmpty ? nil : $0 } }
        if given.allSatisfy({ $0 == nil }) { return nil }
        let missing = zip(settings, given).filter { $0.1 == nil }.map(\.0.name)
        guard missing.isEmpty else {
            throw ConfigurationError("Apple Wallet needs all five wallet settings; missing \(missing.joined(separator: ", "))")
        }
        let (passType, team) = (given[0]!, given[1]!)
        guard passType.hasPrefix("pass."), passType.count > 5 else {
            throw ConfigurationError("\(Setting.walletPassTypeID.name) must be a Pass Type ID such as pass.no.example.club, not \(passType)")
        }
        guard (1...20).contains(team.count), team.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
            throw ConfigurationError("\(Setting.walletTeamID.name) must be the Apple team id (such as ABCDE12345), not \(team)")
        }
        for (setting, path, marker) in [
            (Setting.walletCertificate, given[2]!, "CERTIFICATE"), (.walletKey, given[3]!, "PRIVATE KEY"), (.walletWWDR, given[4]!, "CERTIFICATE"),
        ] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigurationError("\(setting.name): cannot read \(path)")
            }
            guard text.contains("-----BEGIN") && text.contains(marker) else {
                throw ConfigurationError("\(setting.name): \(path) is not a PEM file with a \(marker.lowercased())")
            }
        }
        self.init(passTypeID: passType, teamID: team, certificatePath: given[2]!, keyPath: given[3]!, wwdrPath: given[4]!)
    }
}

/// Google Wallet: the issuer id and the service account whose key signs the "save" links.
public struct GoogleWalletConfiguration: Sendable, Equatable {
    public var issuerID: String
    public var serviceAccountEmail: String
    public var privateKeyPEM: String

    public init(issuerID: String, serviceAccountEmail: String, privateKeyPEM: String) {
        self.issuerID = issuerID
        self.serviceAccountEmail = serviceAccountEmail
        self.privateKeyPEM = privateKeyPEM
    }

    /// Nil when neither setting is set.
    init?(settings values: [String: String]) throws(ConfigurationError) {
        let issuer = values[Setting.googleWalletIssuerID.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        let path = values[Setting.googleWalletKey.rawValue].flatMap { $0.isEmpty ? nil : $0 }
        if issuer == nil && path == nil { return nil }
        guard let issuer, let path else {
            throw ConfigurationError(
                "Google Wallet needs both \(Setting.googleWalletIssuerID.name) and \(Setting.googleWalletKey.name)")
        }
        guard issuer.allSatisfy(\.isNumber) else {
            throw ConfigurationError("\(Setting.googleWalletIssuerID.name) must be the issuer id (digits), not \(issuer)")
        }
        struct ServiceAccount: Decodable {
            var clientEmail: String
            var privateKey: String

            enum CodingKeys: String, CodingKey {
                case clientEmail = "client_email"
                case privateKey = "private_key"
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(Setting.googleWalletKey.name): cannot read \(path)")
        }
        guard let account = try? JSONDecoder().decode(ServiceAccount.self, from: data), account.privateKey.contains("PRIVATE KEY") else {
            throw ConfigurationError(
                "\(Setting.googleWalletKey.name): \(path) is not a service account key (JSON with client_email and private_key)")
        }
        self.init(issuerID: issuer, serviceAccountEmail: account.clientEmail, privateKeyPEM: account.privateKey)
    }
}
