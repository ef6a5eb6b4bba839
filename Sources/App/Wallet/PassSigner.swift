import Foundation

/// Signs a pass's manifest as Apple asks: a detached PKCS#7 signature (DER) by the Pass Type ID
/// certificate, with Apple's WWDR intermediate included. OpenSSL's `smime` does exactly this, and
/// passes are signed seldom (once per member and change), so a process per signature costs nothing
/// that matters and keeps a second crypto library out of the binary.
struct PassSigner: Sendable {
    let configuration: AppleWalletConfiguration
    var openssl = "/usr/bin/openssl"

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func signature(of manifest: Data) async throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("velkommen-pass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("manifest.json")
        let output = folder.appendingPathComponent("signature")
        try manifest.write(to: input)
        let arguments = [
            "smime", "-binary", "-sign", "-signer", configuration.certificatePath, "-inkey", configuration.keyPath, "-certfile",
            configuration.wwdrPath, "-in", input.path, "-out", output.path, "-outform", "DER",
        ]
        let (status, errors) = try await Self.run(openssl, arguments)
        guard status == 0, let signature = FileManager.default.contents(atPath: output.path), !signature.isEmpty else {
            // OpenSSL's message names the file or the key problem; it holds no key material.
            throw Failure(description: "openssl could not sign the pass (exit \(status)): \(errors.prefix(300))")
        }
        return signature
    }

    /// Runs a program off the cooperative pool (waiting blocks a thread) and returns its exit status and
    /// standard error.
    static func run(_ program: String, _ arguments: [String]) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: program)
                process.arguments = arguments
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                do {
                    try process.run()
                    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    process.waitUntilExit()
                    continuation.resume(returning: (process.terminationStatus, text))
                } catch {
                    continuation.resume(throwing: Failure(description: "cannot run \(program): \(error)"))
                }
            }
        }
    }
}
