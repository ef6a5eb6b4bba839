import Foundation

/// Makes sure a code is exchanged once even when the same callback arrives twice at the same moment
/// (a double tap, a link preview, a copied link opened elsewhere). The second caller waits for the
/// first one's result but never shares its landing: exactly one browser gets the session, the others
/// the used-link page, as they would a moment later.
actor CodeExchanges {
    private var running: [String: Task<CallbackOutcome, Never>] = [:]

    func run(codeHash: String, _ work: @escaping @Sendable () async -> CallbackOutcome) async -> CallbackOutcome {
        if let task = running[codeHash] {
            if case .failed(let problem) = await task.value { return .failed(problem) }
            return .failed(.codeInvalid)
        }
        let task = Task { await work() }
        running[codeHash] = task
        let outcome = await task.value
        running[codeHash] = nil
        return outcome
    }
}

/// What a callback led to: a member to land (which login request, and the consents that login
/// changed, to tell them on the welcome page), or a reason to show.
enum CallbackOutcome: Sendable {
    case landed(sub: String, loginRequestID: String?, consentChanges: [String: Bool])
    case failed(CallbackProblem)
}

/// Why a callback could not land anyone, each with its own page.
enum CallbackProblem: String, Error, Sendable {
    /// Unknown, expired or already failed code.
    case codeInvalid = "code_invalid"
    /// The ID token names a login we did not start, or one that is no longer open.
    case foreignLogin = "foreign_login"
    /// Vipps (or the simulator) did not answer.
    case vippsUnavailable = "vipps_unavailable"
    /// The ID token or userinfo did not check out.
    case verificationFailed = "verification_failed"
    /// The browser flow's state, nonce or PKCE did not match.
    case browserLoginInvalid = "browser_login_invalid"
    case accessDenied = "access_denied"
    case vippsError = "vipps_error"
    /// A staff login by someone who is not on the staff list.
    case notStaff = "not_staff"
    /// Too many callbacks from one address.
    case rateLimited = "rate_limited"
    /// A "Continue as B?" answer that was used before, or not asked for the login it names.
    case switchSpent = "switch_spent"
    /// The customer confirmed in the app a login the cashier had already cancelled at the till.
    case cancelledAtTill = "cancelled_at_till"
}
