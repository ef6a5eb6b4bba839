import Foundation

@testable import App

/// A throwaway chain for wallet tests, made with openssl as an operator would: a root CA, an
/// intermediate in the place of Apple's WWDR, and a Pass Type ID certificate issued by it; and a
/// Google service account key. Nothing of Apple's or Google's is needed.
struct TestWalletCertificates {
    let folder: URL
    var path: String { folder.path }

    static let passTypeID = "pass.no.example.velkommen"
    static let teamID = "ABCDE12345"

    static func make() throws -> TestWalletCertificates {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wallet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let chain = TestWalletCertificates(folder: folder)
        try "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n".write(
            to: folder.appendingPathComponent("ca.ext"), atomically: true, encoding: .utf8)
        for arguments in [
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Velkommen Test Root", "-days",
                "2",
            ],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "wwdr.key", "-out", "wwdr.csr", "-subj", "/CN=Test WWDR"],
            [
                "x509", "-req", "-in", "wwdr.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "wwdr.pem", "-days", "2",
                "-extfile", "ca.ext",
            ],
            [
                "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "pass.key", "-out", "pass.csr", "-subj",
                "/UID=\(passTypeID)/CN=Pass Type ID: \(passTypeID)/OU=\(teamID)",
            ],
            ["x509", "-req", "-in", "pass.csr", "-CA", "wwdr.pem", "-CAkey", "wwdr.key", "-CAcreateserial", "-out", "pass.pem", "-days", "2"],
            ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "google.key"],
            ["pkey", "-in", "google.key", "-pubout", "-out", "google.pub"],
        ] {
            try chain.openssl(arguments)
        }
        let key = try String(contentsOf: folder.appendingPathComponent("google.key"), encoding: .utf8)
        let account = try JSONSerialization.data(withJSONObject: [
            "type": "service_account", "client_email": "wallet@velkommen-test.iam.gserviceaccount.com", "private_key": key,
        ])
        try account.write(to: folder.appendingPathComponent("google.json"))
        return chain
    }

    /// Runs openssl in the folder; the exit status, and throws when `check` and it failed.
    @discardableResult
    func openssl(_ arguments: [String], check: Bool = true) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        if check && process.terminationStatus != 0 { throw Failure(arguments: arguments) }
        return process.terminationStatus
    }

    struct Failure: Error { let arguments: [String] }

    func configure(_ app: inout AppConfiguration) {
        app.appleWallet = AppleWalletConfiguration(
            passTypeID: Self.passTypeID, teamID: Self.teamID, certificatePath: path + "/pass.pem", keyPath: path + "/pass.key",
            wwdrPath: path + "/wwdr.pem")
        app.googleWallet = try? GoogleWalletConfiguration(
            settings: ["VELKOMMEN_GOOGLE_WALLET_ISSUER_ID": "3388000000012345678", "VELKOMMEN_GOOGLE_WALLET_KEY": path + "/google.json"])
    }

    /// Unpacks a `.pkpass` with Python's zipfile, a reader that is not ours.
    func unzip(_ data: Data, into name: String) throws -> URL {
        let archive = folder.appendingPathComponent(name + ".pkpass")
        let target = folder.appendingPathComponent(name)
        try data.write(to: archive)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])",
            archive.path, target.path,
        ]
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 { throw Failure(arguments: ["unzip", name]) }
        return target
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
