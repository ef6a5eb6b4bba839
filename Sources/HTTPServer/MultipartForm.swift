/// `multipart/form-data` (RFC 7578) parsed on bytes: the parts of a form with file fields.
public struct MultipartForm: Sendable {
    public struct Part: Sendable {
        /// The form field's name from `Content-Disposition`.
        public var name: String
        /// The file name, when the part is a file.
        public var filename: String?
        public var contentType: String?
        public var body: [UInt8]
    }

    /// Why a multipart body was refused.
    public enum ParseError: Error, Equatable, Sendable {
        case missingBoundary
        case malformed
        case tooManyParts
    }

    /// The most parts accepted in one body.
    public static let maxParts = 1_000

    public var parts: [Part]

    /// Parses `body` with the boundary taken from a `Content-Type` header value.
    public init(body: [UInt8], contentType: String) throws(ParseError) {
        guard let boundary = Self.boundary(in: contentType) else { throw .missingBoundary }
        parts = try Self.parse(body, boundary: Array("--\(boundary)".utf8))
    }

    /// The fields that are not files, as a form.
    public var fields: URLEncodedForm {
        URLEncodedForm(
            fields: parts.filter { $0.filename == nil }.map {
                URLEncodedForm.Field(name: $0.name, value: String(decoding: $0.body, as: UTF8.self))
            })
    }

    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces.lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingSpaces
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = value.dropFirst().dropLast() }
            // RFC 2046 §5.1.1: 1 to 70 characters.
            return (1...70).contains(value.utf8.count) ? String(value) : nil
        }
        return nil
    }

    private static func parse(_ body: [UInt8], boundary: [UInt8]) throws(ParseError) -> [Part] {
        let delimiter = [.cr, .lf] + boundary
        guard var position = body.firstRange(of: boundary)?.upperBound else { throw .malformed }
        var parts: [Part] = []
        while true {
            // After a boundary: "--" ends the body, CRLF starts a part.
            if body[position...].starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) { return parts }
            guard body[position...].starts(with: [.cr, .lf]) else { throw .malformed }
            position += 2
            guard let headEnd = body[position...].firstRange(of: [.cr, .lf, .cr, .lf]),
                let next = body[headEnd.upperBound...].firstRange(of: delimiter)
            else { throw .malformed }
            let headers = String(decoding: body[position..<headEnd.lowerBound], as: UTF8.self)
            parts.append(try part(headers: headers, body: Array(body[headEnd.upperBound..<next.lowerBound])))
            if parts.count > maxParts { throw .tooManyParts }
            position = next.upperBound
        }
    }

    private static func part(headers: String, body: [UInt8]) throws(ParseError) -> Part {
        var name: String?
        var filename: String?
        var contentType: String?
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { throw .malformed }
            let field = pair[0].lowercased()
            if field == "content-type" { contentType = String(pair[1].trimmingSpaces) }
            guard field == "content-disposition" else { continue }
            for parameter in pair[1].split(separator: ";").dropFirst() {
                let keyValue = parameter.split(separator: "=", maxSplits: 1)
                guard keyValue.count == 2 else { continue }
                var value = keyValue[1].trimmingSpaces
                if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = value.dropFirst().dropLast() }
                switch keyValue[0].trimmingSpaces.lowercased() {
                case "name": name = String(value)
                case "filename": filename = String(value)
                default: break
                }
            }
        }
        guard let name else { throw .malformed }
        return Part(name: name, filename: filename, contentType: contentType, body: body)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var slice = self
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return slice
    }
}

extension HTTPRequest {
    /// The submitted form: urlencoded or multipart (its non-file fields). Nil for other content types
    /// or a malformed multipart body.
    public func formFields() -> URLEncodedForm? {
        let contentType = headers["Content-Type"] ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? ""
        switch mediaType {
        case "application/x-www-form-urlencoded":
            return URLEncodedForm(parsing: body)
        case "multipart/form-data":
            return (try? MultipartForm(body: body, contentType: contentType))?.fields
        default:
            return nil
        }
    }
}
