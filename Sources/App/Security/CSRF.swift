import HTTPServer

/// Every form POST carries the session's CSRF token in a hidden `csrf` field.
enum CSRF {
    static let field = "csrf"

    static func isValid(_ form: URLEncodedForm?, expected: String) -> Bool {
        guard let submitted = form?[field] else { return false }
        return Tokens.constantTimeEquals(submitted, expected)
    }
}
