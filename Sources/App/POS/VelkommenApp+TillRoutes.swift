import HTTPServer
import Storage

extension VelkommenApp {
    /// `/pos` and its forms.
    func addTillRoutes(to router: inout Router) {
        let till = TillPage(
            keys: ApiKeys(store: ApiKeyStore(pool: database)), access: staffAccess, starter: starter, requests: LoginRequestStore(pool: database),
            views: views, stores: stores, members: MemberStore(pool: database),
            pairings: TillPairingStore(pool: database), desk: offerDesk, pairingLimit: limits.pairingPerAddress, demo: configuration.demoTill,
            secure: configuration.secureCookies)
        // The till's own page decides between the key form and the till.
        router.group("/pos", Public()) { pos in
            pos.get("") { try await till.show($0) }
            pos.post("/key", maxBodyBytes: 1024) { try await till.saveKey($0) }
        }
        router.group("/pos/logins", RequireTill(till: till)) { logins in
            logins.post("", maxBodyBytes: 4096) { try await till.start($0) }
            logins.get("/{id}") { try await till.progress($0) }
            logins.get("/{id}/status.json") { try await till.statusJSON($0) }
            logins.post("/{id}/cancel", maxBodyBytes: 1024) { try await till.cancel($0) }
        }
        router.group("/pos/offers", RequireTill(till: till)) { offers in
            offers.post("", maxBodyBytes: 1024) { try await till.redeem($0) }
        }
    }
}
