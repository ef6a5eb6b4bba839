/// The stores write SQLite's parameters: `?` in order, or `?N` by number. PostgreSQL numbers them,
/// `$1`, `$2`…; this rewrites one into the other, leaving quoted text, quoted names and comments alone.
enum PostgresPlaceholders {
    static func translate(_ sql: String) -> String {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 16)
        var next = 1
        var characters = Array(sql)[...]
        while let character = characters.popFirst() {
            switch character {
            case "'", "\"":
                output.append(character)
                while let inner = characters.popFirst() {
                    output.append(inner)
                    if inner == character { break }
                }
            case "-" where characters.first == "-":
                output.append(character)
                while let inner = characters.popFirst() {
                    output.append(inner)
                    if inner == "\n" { break }
                }
            case "?":
                var digits = ""
                while let digit = characters.first, digit.isASCII, digit.isNumber {
                    digits.append(digit)
                    characters.removeFirst()
                }
                if digits.isEmpty {
                    output += "$\(next)"
                    next += 1
                } else {
                    output += "$" + digits
                }
            default:
                output.append(character)
            }
        }
        return output
    }
}
