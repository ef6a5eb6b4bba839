/// The member number as printed on the card: seven digits and a Luhn check digit, so a mistyped number
/// is caught at the till (`1234 5674`).
public enum MemberNumber {
    public static func digits(_ number: Int) -> String {
        let suffix = String(number).suffix(7)
        let base = String(repeating: "0", count: 7 - suffix.count) + suffix
        return base + String(luhnDigit(base))
    }

    public static func grouped(_ number: Int) -> String {
        let text = digits(number)
        return String(text.prefix(4)) + " " + String(text.suffix(4))
    }

    public static func luhnDigit(_ digits: String) -> Int {
        let sum = digits.compactMap(\.wholeNumberValue).reversed().enumerated().reduce(0) { total, item in
            let doubled = item.offset.isMultiple(of: 2) ? item.element * 2 : item.element
            return total + (doubled > 9 ? doubled - 9 : doubled)
        }
        return (10 - sum % 10) % 10
    }

    public static func isValid(_ digits: String) -> Bool {
        digits.count == 8 && digits.allSatisfy(\.isNumber) && luhnDigit(String(digits.prefix(7))) == digits.last?.wholeNumberValue
    }
}
