import Foundation
import HTTPServer
import Storage
import VippsLogin

/// The POS API (design.md §3): `POST /api/v1/logins`, `GET /api/v1/logins/{id}` (with the member who
/// joined and their welcome offer) and `POST /api/v1/offers/{code}/redeem`, JSON in and out,
/// `Authorization: Bearer <api key>`, errors as problem+json with a stable `type`.
struct PosAPI: Sendable {
    let keys: ApiKeys
    let starter: LoginStarter
    let requests: LoginRequestStore
    let desk: OfferDesk

    func start(_ request: HTTPRequest) async throws -> HTTPResponse {
        let key = try request.apiKey
        let body: PosAPIBody.LoginStart
        do {
            body = try JSONDecoder().decode(PosAPIBody.LoginStart.self, from: Data(request.body))
        } catch {
            throw Problem(
                .badRequest, "invalid-json", "The body is not the expected JSON",
                detail:
                    #"Send {"phone": "+47 412 34 567", "bindingMessage": "auto", "store": "oslo-1", "terminal": "till-3", "consents": true, "ending": "webpage"}, or "qr" (a scanned personal QR code) instead of "phone"."#
            )
        }
        // null is not a value here: leaving a field out is how it is left out (the document says so too).
        if let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any], object.values.contains(where: { $0 is NSNull })
        {
            throw Problem(.badRequest, "invalid-json", "null is not a value here", detail: "Leave a field out instead of sending null.")
        }
        if body.phone != nil && body.qr != nil {
            throw Problem(.badRequest, "phone-and-qr", "Send phone or qr, not both", detail: "One login is for one customer.")
        }
        guard body.phone != nil || body.qr != nil else {
            throw Problem(.badRequest, "invalid-phone", "phone (or qr) is required", detail: "The number typed, or the personal QR code scanned.")
        }
        if let store = body.store, store != key.store {
            throw Problem(.forbidden, "wrong-store", "This API key belongs to another store", detail: "The key acts for store \(key.store).")
        }
        let input = LoginStarter.Input(
            phone: body.phone ?? "", qr: body.qr, bindingMessage: body.bindingMessage, store: key.store, terminal: body.terminal,
            consents: body.consents ?? false, ending: body.ending)
        let login: LoginRequest
        do {
            login = try await starter.start(input, till: "key:" + key.prefix)
        } catch let failure as LoginStarter.Failure {
            throw Self.problem(for: failure)
        }
        var response = HTTPResponse.json(PosAPIBody.encode(PosAPIBody.LoginSummary(login)), status: .created)
        response.headers.set("Location", "/api/v1/logins/\(login.id)")
        return response
    }

    func status(_ request: HTTPRequest) async throws -> HTTPResponse {
        let key = try request.apiKey
        guard let id = request.parameter("id"), let login = try await requests.find(id: id), login.store == key.store else { throw Problem.notFound }
        let joined = try await desk.joined(login)
        return .json(PosAPIBody.encode(PosAPIBody.LoginDetails(login, member: joined?.member, welcomeOffer: joined?.offer)))
    }

    /// `POST /api/v1/offers/{code}/redeem`: once per code; the same key asking again gets the same 200.
    func redeem(_ request: HTTPRequest) async throws -> HTTPResponse {
        let key = try request.apiKey
        switch try await desk.redeem(request.parameter("code") ?? "", store: key.store, till: "key:" + key.prefix) {
        case .success(let redemption): return .json(PosAPIBody.encode(redemption))
        case .failure(let problem): throw problem
        }
    }

    /// `2026-11-25T08:00:00Z`. A format style, not a new ISO8601DateFormatter per call: exports call it per row.
    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    /// The problem for a failed start; `time` decides whether a Vipps failure falls in Vipps' maintenance window.
    static func problem(for failure: LoginStarter.Failure, at time: Date = Date()) -> Problem {
        switch failure {
        case .invalidPhone:
            Problem(
                .badRequest, "invalid-phone", "The phone number is not a mobile number of a Vipps MobilePay market",
                detail:
                    "Use the store's national number (8 digits in Norway and Denmark, 6 in Greenland, 5 to 12 in Finland), or the number with +47, +45, +358 or +299, for example +47 412 34 567."
            )
        case .noVippsUser:
            Problem(
                .unprocessableContent, "no-vipps-user", "No Vipps user on this number",
                detail: "Vipps says the number has no account, so no login was started. Check the number, or offer another way to join.")
        case .qr(.malformed):
            Problem(
                .unprocessableContent, "invalid-qr", "qr is not a personal QR code",
                detail: "Send the text the scanner read from the customer's personal QR code, such as https://qr.vipps.no/28/2/01/031/4712345678?v=1."
            )
        case .qr(.foreign):
            Problem(
                .unprocessableContent, "foreign-qr", "qr is another kind of code",
                detail: "Not a personal code from Vipps or MobilePay (a payment link or a web page, for example). Nothing was sent to Vipps.")
        case .qr(.exchangeNotConfigured):
            Problem(
                .unprocessableContent, "qr-exchange-not-configured", "Tokenized QR codes need the QR API, which is not configured",
                detail: "MobilePay's personal codes are tokenized; set VIPPS_QR_API_URL and VIPPS_SUBSCRIPTION_KEY, or send the phone number.")
        case .qr(.unknown):
            Problem(
                .unprocessableContent, "unknown-qr", "The QR API does not know this code",
                detail: "It may have expired: ask the customer to open the personal QR code again.")
        case .qr(.exchangeUnavailable(let misconfigured)):
            misconfigured
                ? Problem(
                    .badGateway, "qr-exchange-configuration", "The QR API refused our credentials",
                    detail: "The operator must check VIPPS_QR_API_URL, VIPPS_SUBSCRIPTION_KEY and the client id and secret.")
                : Problem(.serviceUnavailable, "qr-exchange-unavailable", "The QR API is not answering", detail: "Send the phone number instead.")
        case .invalidBindingMessage:
            Problem(
                .badRequest, "invalid-binding-message", "The binding message must be 5 to 8 of A–Z, 0–9 and -",
                detail: "Or send \"auto\" to have one made, or leave it out.")
        case .invalidStore: Problem(.badRequest, "invalid-store", "store must be lower-case letters, digits and dashes")
        case .invalidTerminal: Problem(.badRequest, "invalid-terminal", "terminal must be lower-case letters, digits and dashes")
        case .vippsNotConfigured: Problem(.serviceUnavailable, "vipps-unavailable", "Vipps Login is not configured on this server")
        case .rateLimited(let wait):
            Problem(
                .tooManyRequests, "rate-limited", "Too many logins started",
                detail: "From this till, or towards this phone number. Wait before trying again.",
                retryAfter: wait)
        case .vipps(let error):
            switch error {
            case .invalidUser:
                Problem(
                    .unprocessableContent, "vipps-invalid-user", "This customer has no Vipps",
                    detail: "No active Vipps account for this number, or the customer is under 15.")
            case .oldApp:
                Problem(.unprocessableContent, "vipps-old-app", "The customer's Vipps app is too old", detail: "Ask them to update the app.")
            case .rateLimited(let retryAfter):
                Problem(
                    .tooManyRequests, "vipps-rate-limited", "Too many logins for this customer at once",
                    detail: "Wait before starting another.", retryAfter: Int(retryAfter ?? 10))
            case .timeout, .transport, .serverError:
                Problem(.serviceUnavailable, "vipps-unavailable", "Vipps is not answering", detail: Self.tryAgain(at: time))
            case .badResponse:
                Problem(.badGateway, "vipps-bad-response", "Vipps answered something we could not read", detail: Self.tryAgain(at: time))
            case .invalidClient:
                Problem(
                    .badGateway, "vipps-configuration", "Vipps is misconfigured: it refused our credentials",
                    detail: "Check VIPPS_CLIENT_ID and VIPPS_CLIENT_SECRET.")
            case .issuerMismatch:
                Problem(
                    .badGateway, "vipps-configuration", "Vipps is misconfigured", detail: "The operator must fix VIPPS_ISSUER (see the server log).")
            default:
                Problem(
                    .badGateway, "vipps-error", "Vipps refused the login",
                    detail: VippsMaintenance.contains(time) ? Self.tryAgain(at: time) : error.description)
            }
        }
    }

    static func tryAgain(at time: Date) -> String {
        VippsMaintenance.contains(time)
            ? "Vipps has planned maintenance on Mondays 01:00–05:00 (Norwegian time); try again after 05:00."
            : "Try again in a moment."
    }
}
