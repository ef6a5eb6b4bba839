/// The `Vipps-System-*` headers: which system and which plugin talk to Vipps, and their versions. Vipps'
/// support asks for them first, so every call carries them (discovery and keys too).
public enum SystemHeaders {
    /// Velkommen's version, as `velkommen --version` prints it and Vipps sees it.
    public static let version = "2026.12.0"

    public static let velkommen: [String: String] = [
        "Vipps-System-Name": "velkommen", "Vipps-System-Version": version,
        "Vipps-System-Plugin-Name": "velkommen-vipps-login", "Vipps-System-Plugin-Version": version,
    ]

    /// Vipps allows at most 30 characters in each.
    public static func isValid(_ headers: [String: String]) -> Bool {
        headers.values.allSatisfy { !$0.isEmpty && $0.count <= 30 && $0.allSatisfy { $0.isASCII && !$0.isNewline } }
    }
}
