import Content
import Foundation

/// How the merchant's passes look, from `Templates/wallet/`: `style.json` (organization, texts and
/// colours) and the images Apple Wallet shows (`icon.png`, `logo.png` and their @2x/@3x).
struct WalletStyle: Sendable {
    var organizationName: String
    var descriptions: [String: String]
    var logoTexts: [String: String]
    var backgroundColor: String
    var foregroundColor: String
    var labelColor: String
    var googleBackgroundColor: String
    var images: [(name: String, data: Data)]

    static let imageNames = ["icon.png", "icon@2x.png", "icon@3x.png", "logo.png", "logo@2x.png", "logo@3x.png"]

    func description(in language: Language) -> String { descriptions[language.rawValue] ?? descriptions["nb"] ?? organizationName }
    func logoText(in language: Language) -> String { logoTexts[language.rawValue] ?? logoTexts["nb"] ?? organizationName }

    static func load(folder: String) throws(ConfigurationError) -> WalletStyle {
        struct File: Decodable {
            var organizationName: String
            var description: [String: String]
            var logoText: [String: String]?
            var backgroundColor: String
            var foregroundColor: String
            var labelColor: String?
            var googleBackgroundColor: String?
        }
        let path = folder + "/style.json"
        guard let data = FileManager.default.contents(atPath: path), let file = try? JSONDecoder().decode(File.self, from: data) else {
            throw ConfigurationError("\(path) must describe the wallet pass (organizationName, description, backgroundColor, foregroundColor)")
        }
        let images: [(name: String, data: Data)] = imageNames.compactMap { name in
            FileManager.default.contents(atPath: folder + "/" + name).map { (name: name, data: $0) }
        }
        // Apple Wallet refuses a pass without an icon.
        guard images.contains(where: { $0.name == "icon.png" }) else {
            throw ConfigurationError("\(folder)/icon.png is missing: Apple Wallet needs it")
        }
        return WalletStyle(
            organizationName: file.organizationName, descriptions: file.description, logoTexts: file.logoText ?? [:],
            backgroundColor: file.backgroundColor, foregroundColor: file.foregroundColor, labelColor: file.labelColor ?? file.foregroundColor,
            googleBackgroundColor: file.googleBackgroundColor ?? "#000000", images: images)
    }
}
