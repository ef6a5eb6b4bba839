/// The one-time code an admin reads out (or types) at a till to pair it: eight characters without
/// look-alikes, shown as `ABCD-EFGH`, typed in any case, with or without the dash.
enum PairingCode {
    static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    static let lifetime: Double = 15 * 60

    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<8).map { _ in alphabet.randomElement(using: &generator)! }
        return String(characters[0..<4]) + "-" + String(characters[4..<8])
    }

    /// The code in its stored form (upper case, no dash or spaces), or nil when it cannot be one.
    static func normalise(_ text: String) -> String? {
        let compact = text.uppercased().filter { $0 != "-" && $0 != " " }
        guard compact.count == 8, compact.allSatisfy(alphabet.contains) else { return nil }
        return compact
    }
}
