import Storage
import Testing

@Suite("Database locations: which engine, and a PostgreSQL password kept out of logs and command lines")
struct DatabaseLocationTests {
    @Test(
        "a path or sqlite: is SQLite, postgres:// and postgresql:// are PostgreSQL, anything else with :// is refused",
        arguments: [
            ("data/velkommen.sqlite", "sqlite"), ("sqlite:/var/lib/v.db", "sqlite"), ("postgres://v@db/v", "postgres"),
            ("postgresql://v@db/v", "postgres"), ("mysql://v@db/v", "refused"), ("", "refused"),
        ])
    func engine(text: String, engine: String) {
        let found =
            switch try? DatabaseLocation(text) {
            case .sqlite: "sqlite"
            case .postgres: "postgres"
            case nil: "refused"
            }
        #expect(found == engine)
    }

    @Test(
        "the password is out of the logged form, and apart (percent-decoded) for PGPASSWORD",
        arguments: [
            (
                "postgres://velkommen:s%40cret@db:5432/velkommen", "postgres://velkommen:***@db:5432/velkommen",
                "postgres://velkommen@db:5432/velkommen", "s@cret"
            ),
            ("postgres://velkommen@db/velkommen", "postgres://velkommen@db/velkommen", "postgres://velkommen@db/velkommen", nil),
            ("postgres://db/velkommen", "postgres://db/velkommen", "postgres://db/velkommen", nil),
        ] as [(String, String, String, String?)])
    func password(url: String, logged: String, bare: String, password: String?) throws {
        #expect(try DatabaseLocation(url).description == logged)
        let apart = DatabaseLocation.passwordApart(postgresURL: url)
        #expect(apart.url == bare)
        #expect(apart.password == password)
    }
}
