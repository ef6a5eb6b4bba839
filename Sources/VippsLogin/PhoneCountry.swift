/// The countries whose mobile numbers Vipps MobilePay logs in: Norway, Denmark, Finland and Greenland
/// (`login_hint` must be `urn:msisdn:46|45|47|358|299{number}`; Sweden's 46 is accepted by Vipps but is no
/// market of the login, so it is left out).
public enum PhoneCountry: String, Sendable, CaseIterable, Codable {
    case norway = "NO"
    case denmark = "DK"
    case finland = "FI"
    case greenland = "GL"

    /// The calling code, digits only.
    public var callingCode: String {
        switch self {
        case .norway: "47"
        case .denmark: "45"
        case .finland: "358"
        case .greenland: "299"
        }
    }

    /// How many digits follow the calling code. Finnish mobile numbers vary in length (`40 1234567`,
    /// `50 123 45`); five to twelve covers every published range without letting a Norwegian number
    /// typed with a Finnish store's default pass as Finnish.
    public var nationalLengths: ClosedRange<Int> {
        switch self {
        case .norway, .denmark: 8...8
        case .finland: 5...12
        case .greenland: 6...6
        }
    }

    /// The country whose calling code starts `digits` (the longest match: `358` before `35…`).
    static func byCallingCode(prefixing digits: Substring) -> PhoneCountry? {
        allCases.sorted { $0.callingCode.count > $1.callingCode.count }.first { digits.hasPrefix($0.callingCode) }
    }

    /// `+47 412 34 567`, `+45 12 34 56 78`, `+358 40 123 4567`, `+299 12 34 56`: as people there write them.
    func format(national digits: String) -> String {
        let characters = Array(digits)
        func groups(_ sizes: [Int]) -> String {
            var parts: [String] = []
            var index = 0
            for size in sizes where index < characters.count {
                parts.append(String(characters[index..<min(characters.count, index + size)]))
                index += size
            }
            if index < characters.count { parts.append(String(characters[index...])) }
            return parts.joined(separator: " ")
        }
        let grouped =
            switch self {
            case .norway: groups([3, 2, 3])
            case .denmark: groups([2, 2, 2, 2])
            case .greenland: groups([2, 2, 2])
            // An area code of two (40, 50, 45…), then the subscriber number in threes, four at the end.
            case .finland: characters.count <= 5 ? groups([2]) : groups([2, 3])
            }
        return "+" + callingCode + " " + grouped
    }
}
