import Foundation
import Storage
import Testing

@testable import App

/// `velkommen secret rotate`: new cookies are sealed with the new key once it is active; cookies sealed
/// before are read until they expire; a replaced key opens nothing once the longest cookie lifetime has
/// passed; every instance on the database picks the rotation up while it runs.
@Suite("Sealing key rotation")
struct SealKeyRotationTests {
    struct Value: Codable, Equatable { var text: String }

    @Test("the replaced key opens what it sealed for the longest cookie lifetime after the new one is active, then nothing")
    func replacedKeyWindow() throws {
        let (old, new) = (Sealer.newKey(), Sealer.newKey())
        let start = Date(timeIntervalSince1970: 1_000_000)
        let sealer = Sealer(keys: SealKeys([Sealer.Generation(key: old, activeFrom: .distantPast)]))
        let before = try sealer.seal(Value(text: "before"), purpose: "p", lifetime: 600, now: start)
        let activeFrom = start.addingTimeInterval(30)
        sealer.keys.replace(with: [Sealer.Generation(key: old, activeFrom: .distantPast), Sealer.Generation(key: new, activeFrom: activeFrom)])
        let pending = try sealer.seal(Value(text: "pending"), purpose: "p", lifetime: 600, now: start.addingTimeInterval(10))
        #expect(
            Sealer(key: old).open(pending, as: Value.self, purpose: "p", now: start.addingTimeInterval(10)) != nil,
            "sealed with the old key until the new one is active")
        let after = try sealer.seal(Value(text: "after"), purpose: "p", lifetime: 600, now: activeFrom)
        #expect(Sealer(key: new).open(after, as: Value.self, purpose: "p", now: activeFrom) == Value(text: "after"), "then with the new key")
        #expect(Sealer(key: old).open(after, as: Value.self, purpose: "p", now: activeFrom) == nil)
        #expect(
            sealer.open(before, as: Value.self, purpose: "p", now: activeFrom.addingTimeInterval(500)) == Value(text: "before"),
            "old cookies still read")
        // Someone who has the replaced key seals a cookie with a fresh expiry: once the window has passed it opens nothing.
        let later = activeFrom.addingTimeInterval(Sealer.longestLifetime + 1)
        let forged = try Sealer(key: old).seal(Value(text: "forged"), purpose: "p", lifetime: 600, now: later)
        #expect(sealer.open(forged, as: Value.self, purpose: "p", now: later) == nil)
        #expect(
            sealer.open(try sealer.seal(Value(text: "x"), purpose: "p", lifetime: 600, now: later), as: Value.self, purpose: "p", now: later) != nil)
    }

    @Test("two instances on one database: a rotation made from the command line is picked up by both while they run")
    func instancesPickUpARotation() async throws {
        try await TestApp.with { first in
            var configuration = first.app.configuration
            configuration.metricsPort = nil
            let second = try await VelkommenApp.start(configuration, logger: first.logs.logger)
            let (a, b) = (first.app.sealer, second.sealer)
            let old = try a.seal(Value(text: "old"), purpose: "p", lifetime: 600)
            #expect(b.open(old, as: Value.self, purpose: "p") == Value(text: "old"), "one key for the site")
            let activeFrom = try await VelkommenApp.rotateSealKey(databasePath: configuration.databasePath)
            for app in [first.app, second] {
                let refresh = try #require(app.backgroundServices().compactMap { $0 as? SealKeyRefresh }.first)
                await refresh.refresh()
            }
            #expect(a.keys.count == 2 && b.keys.count == 2)
            let now = activeFrom.addingTimeInterval(1)
            let new = try a.seal(Value(text: "new"), purpose: "p", lifetime: 600, now: now)
            #expect(b.open(new, as: Value.self, purpose: "p", now: now) == Value(text: "new"), "the other instance reads the new key's cookies")
            #expect(b.open(old, as: Value.self, purpose: "p", now: now) == Value(text: "old"), "and still the old key's")
            let before = try await ServerSecretStore(pool: first.app.database).generations(of: SealKeyRefresh.secretName)
            #expect(Sealer(key: before[1].value).open(new, as: Value.self, purpose: "p", now: now) == nil, "the new cookie is not the old key's")
        }
    }

    @Test("with VELKOMMEN_SECRET, the replaced one in VELKOMMEN_SECRET_PREVIOUS opens cookies for their lifetime after a start")
    func previousSecret() async throws {
        let (old, new) = (String(repeating: "o", count: 40), String(repeating: "n", count: 40))
        do {
            _ = try AppConfiguration(settings: ["VELKOMMEN_SECRET_PREVIOUS": old])
            Issue.record("a previous secret without a secret is refused")
        } catch {
            #expect(error.description.contains("VELKOMMEN_SECRET_PREVIOUS") && error.description.contains("VELKOMMEN_SECRET "))
        }
        try await TestApp.with({
            $0.secret = new
            $0.previousSecrets = [old]
        }) { app in
            let cookie = try Sealer(key: VelkommenApp.sealKey(old)).seal(Value(text: "old"), purpose: "p", lifetime: 600)
            #expect(app.app.sealer.open(cookie, as: Value.self, purpose: "p") == Value(text: "old"))
            let later = Date().addingTimeInterval(Sealer.longestLifetime + 5)
            let forged = try Sealer(key: VelkommenApp.sealKey(old)).seal(Value(text: "forged"), purpose: "p", lifetime: 600, now: later)
            #expect(app.app.sealer.open(forged, as: Value.self, purpose: "p", now: later) == nil, "not after the window")
            let sealed = try app.app.sealer.seal(Value(text: "new"), purpose: "p", lifetime: 600)
            #expect(Sealer(key: VelkommenApp.sealKey(new)).open(sealed, as: Value.self, purpose: "p") == Value(text: "new"))
            #expect(!app.app.backgroundServices().contains { $0 is SealKeyRefresh }, "no keys in the database to pick up")
        }
    }

    @Test("rotations forget the generations replaced longer ago than any cookie lives")
    func oldGenerationsForgotten() async throws {
        try await TestApp.with { app in
            let store = ServerSecretStore(pool: app.app.database)
            let start = Date()
            #expect(try await store.generations(of: "cookie-seal").count == 1, "made at the first start")
            _ = try await SealKeyRefresh.rotate(store, now: start.addingTimeInterval(1_000))
            #expect(try await store.generations(of: "cookie-seal").count == 2)
            _ = try await SealKeyRefresh.rotate(store, now: start.addingTimeInterval(5_000))
            #expect(try await store.generations(of: "cookie-seal").count == 2, "the first, replaced 4,000 s before, is gone")
            _ = try await SealKeyRefresh.rotate(store, now: start.addingTimeInterval(5_100))
            #expect(try await store.generations(of: "cookie-seal").count == 3, "the two replaced within the last 10 minutes stay")
        }
    }
}
