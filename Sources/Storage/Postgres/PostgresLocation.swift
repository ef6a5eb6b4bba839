/// A PostgreSQL URL as the operator gave it, and as it may be logged.
enum PostgresLocation {
    /// Whether `location` names PostgreSQL (`postgres://…` or `postgresql://…`).
    static func matches(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// The URL without its password, for log lines and errors.
    static func redacted(_ url: String) -> String {
        guard let (colon, at) = passwordBounds(url) else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    /// The URL without its password, and the password (percent-decoded), for a client tool: a URL on a
    /// command line is readable by every local user in `ps`, the environment (PGPASSWORD) is not.
    static func passwordApart(_ url: String) -> (url: String, password: String?) {
        guard let (colon, at) = passwordBounds(url) else { return (url, nil) }
        let password = String(url[url.index(after: colon)..<at])
        return (String(url[..<colon]) + String(url[at...]), password.removingPercentEncoding ?? password)
    }

    /// Where `:password` starts and `@` is in `scheme://user:password@host…`; nil without a password.
    private static func passwordBounds(_ url: String) -> (colon: String.Index, at: String.Index)? {
        guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].firstIndex(of: "@"),
            let colon = url[schemeEnd.upperBound..<at].firstIndex(of: ":")
        else { return nil }
        return (colon, at)
    }
}
