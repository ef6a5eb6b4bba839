import Foundation

/// The repository's `Templates/` folder, found from this file's path so tests run from any directory.
enum TemplatesFolder {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Templates").path
}
