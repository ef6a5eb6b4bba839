import Foundation

extension SessionStore {
    /// How long after the confirmation a browser's arrival still counts as that login's landing; later
    /// it is a returning visit.
    public static let landingWindow: TimeInterval = 600

    /// The session (already signed in) owes the landing of `requestID`: a re-login in the browser that
    /// holds the member's session.
    public func oweLanding(idHash: String, requestID: String) async throws {
        try await pool.write { database in
            try database.execute("UPDATE sessions SET landing_request = ? WHERE id_hash = ?", [requestID, idHash])
        }
    }

    /// The session's browser reached the welcome page: its login request is marked landed (if it is
    /// still the confirmed login of the last ten minutes) and the session owes nothing more, in one
    /// transaction. Returns whether a request was landed.
    public func recordLanding(_ session: Session, at time: Date = Date()) async throws -> Bool {
        guard let requestID = session.landingRequestID else { return false }
        return try await pool.write { database in
            let landed = try LoginRequestStore.land(
                id: requestID, sessionHash: session.idHash, confirmedAfter: time.addingTimeInterval(-Self.landingWindow), at: time, in: database)
            try database.execute("UPDATE sessions SET landing_request = NULL WHERE id_hash = ?", [session.idHash])
            return landed
        }
    }
}
