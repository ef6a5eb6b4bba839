import Foundation

/// One-time codes with which an admin pairs a till: the code (its hash only is kept) becomes a POS API
/// key for the store in the till's cookie, once, within its lifetime.
public struct TillPairingStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    public func create(
        codeHash: String, store: String, label: String, lifetime: TimeInterval, by staff: StaffMember, at time: Date = Date()
    ) async throws {
        try await pool.write { database in
            try database.execute("DELETE FROM till_pairings WHERE expires_at <= ?", [time])
            try database.execute(
                "INSERT INTO till_pairings (code_hash, store, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                [codeHash, store, label, time, time.addingTimeInterval(lifetime)])
            try StaffStore.audit(staff, action: "till.pairing-code", detail: "store \(store), \(label)", at: time, in: database)
        }
    }

    /// Uses the code: in one transaction it is marked used and the new key (made by the caller) is
    /// stored for its store. Nil when the code is unknown, used or expired.
    public func redeem(codeHash: String, prefix: String, secretHash: Data, at time: Date = Date()) async throws -> (store: String, label: String)? {
        try await pool.write { database in
            guard
                let pairing = try database.queryFirst(
                    """
                    SELECT store, label FROM till_pairings WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
                    """, [codeHash, time], { (try $0[0] as String, try $0[1] as String) })
            else { return nil }
            try database.execute("UPDATE till_pairings SET used_at = ? WHERE code_hash = ?", [time, codeHash])
            try database.execute(
                "INSERT INTO api_keys (prefix, secret_hash, store, label, created_at) VALUES (?, ?, ?, ?, ?)",
                [prefix, secretHash, pairing.0, pairing.1, time])
            try StaffStore.audit(nil, action: "till.paired", detail: "store \(pairing.0), \(pairing.1), key \(prefix)", at: time, in: database)
            return (pairing.0, pairing.1)
        }
    }
}
