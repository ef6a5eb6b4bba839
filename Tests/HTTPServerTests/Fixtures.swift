import Foundation
import Testing

/// The byte fixtures beside the tests: `Fixtures/rejected/<status>-<rule>.http` and `Fixtures/accepted/<name>.http`.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Fixture: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var testDescription: String { name }

        /// The status a rejected fixture's name starts with.
        var expectedStatus: Int { Int(name.prefix(3))! }
    }

    static func all(in folder: String) -> [Fixture] {
        let url = directory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".http") }.sorted().map { name in
            Fixture(name: String(name.dropLast(5)), bytes: [UInt8](FileManager.default.contents(atPath: url.appendingPathComponent(name).path)!))
        }
    }

    static func named(_ name: String, in folder: String = "accepted") -> [UInt8] {
        all(in: folder).first { $0.name == name }!.bytes
    }
}
