import Content

/// Code 128 barcodes as SVG, drawn on the server: the member card's number, for a till's scanner, in
/// code set C (two digits a symbol), so eight digits make a short, sturdy code; a welcome offer's code
/// in code set B.
enum Code128 {
    /// Bar and space widths in modules for the symbol values 0–106 (106 is the stop, with its final bar).
    static let patterns = [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
        "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
        "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
        "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
        "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
        "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
        "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
        "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
        "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
        "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
    ]
    static let startC = 105
    static let stop = 106
    /// Clear space on each side, in modules, so a scanner finds the edges.
    static let quietZone = 10

    /// The symbol values for an even number of digits: start C, the digit pairs, the check value, stop.
    static func symbols(digits: String) -> [Int]? {
        let values = digits.compactMap(\.wholeNumberValue)
        guard !values.isEmpty, values.count == digits.count, values.count.isMultiple(of: 2) else { return nil }
        let pairs = stride(from: 0, to: values.count, by: 2).map { values[$0] * 10 + values[$0 + 1] }
        let check = (startC + pairs.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }) % 103
        return [startC] + pairs + [check, stop]
    }

    static let startB = 104

    /// The symbol values for printable ASCII in code set B (a welcome offer's letters and digits).
    static func symbols(text: String) -> [Int]? {
        let values = text.unicodeScalars.map { Int($0.value) - 32 }
        guard !values.isEmpty, values.allSatisfy({ (0...94).contains($0) }) else { return nil }
        let check = (startB + values.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }) % 103
        return [startB] + values + [check, stop]
    }

    /// Widths in modules, bar first, alternating with spaces.
    static func widths(digits: String) -> [Int]? {
        symbols(digits: digits)?.flatMap { patterns[$0].compactMap(\.wholeNumberValue) }
    }

    /// The barcode as an SVG element: black bars on white, sharp edges, scaled to its container.
    static func svg(digits: String, label: String) -> String? {
        svg(widths: widths(digits: digits), label: label)
    }

    /// A code of letters and digits (code set B), such as a welcome offer's, for the till's scanner.
    static func svg(text: String, label: String) -> String? {
        svg(widths: symbols(text: text)?.flatMap { patterns[$0].compactMap(\.wholeNumberValue) }, label: label)
    }

    static func svg(widths: [Int]?, label: String) -> String? {
        guard let widths else { return nil }
        let total = widths.reduce(0, +) + 2 * quietZone
        var x = quietZone
        var bars = ""
        for (index, width) in widths.enumerated() {
            if index.isMultiple(of: 2) { bars += "<rect x=\"\(x)\" y=\"0\" width=\"\(width)\" height=\"60\"/>" }
            x += width
        }
        return "<svg class=\"barcode\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(total) 60\" preserveAspectRatio=\"none\" "
            + "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"\(HTMLEscaping.escape(label))\">"
            + "<rect width=\"\(total)\" height=\"60\" fill=\"#fff\"/><g fill=\"#000\">\(bars)</g></svg>"
    }
}
