import HTTPServer
import Storage

extension VelkommenApp {
    /// `/pos` and its forms.
    func addTillRoutes(to router: inout Router, errors: ErrorPages) throws {
        let till = TillPage(keys: ApiKeys(store: ApiKeyStore(pool: database)), access: staffAccess, starter: starter, requests: LoginRequestStore(pool: database),
                            views: views, stores: stores, members: MemberStore(pool: database),
                            pairings: TillPairingStore(pool: database), pairingLimit: limits.pairingPerAddress, demo: configuration.demoTill, secure: configuration.secureCookies)
        router.get("/pos") { try await till.show($0) }
        router.post("/pos/key", maxBodyBytes: 1024) { try await till.saveKey($0) }
        router.post("/pos/logins", maxBodyBytes: 4096) { try await till.start($0) }
        router.get("/pos/logins/{id}") { try await till.progress($0) }
        router.get("/pos/logins/{id}/status.json") { try await till.statusJSON($0) }
        router.post("/pos/logins/{id}/cancel", maxBodyBytes: 1024) { try await till.cancel($0) }
    }
}
