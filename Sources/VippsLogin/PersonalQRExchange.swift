import Foundation
import OutboundHTTP
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Turns a tokenized personal QR code (MobilePay's, and Vipps' when they follow) into the customer's
/// number through the QR API's `POST /v1/exchange`. The QR API is one of Vipps' merchant APIs: it takes
/// an access token from `POST /accesstoken/get` (the sales unit's `client_id`, `client_secret` and
/// `Ocp-Apim-Subscription-Key` as headers), not the Login's Basic credentials.
///
/// Documented: the endpoint and that it returns the number. UNCONFIRMED (docs/vipps-login.md): the request
/// body (sent as `{"qrCode": "<the scanned text>"}`), the answer's field (read from `phoneNumber`, `msisdn`
/// or `phone_number`, with or without `+`) and which status says "unknown code" (404, 400 and 422 are read so).
public final class PersonalQRExchange: Sendable {
    public struct Configuration: Sendable {
        /// The QR API's base, before `/v1/exchange`: `https://api.vipps.no/qr` (UNCONFIRMED).
        public var baseURL: URL
        public var clientID: String
        public var clientSecret: String
        public var subscriptionKey: String
        public var merchantSerialNumber: String?
        public var systemHeaders: [String: String] = SystemHeaders.velkommen
        /// A scan waits at the till: a slow exchange is refused rather than waited for.
        public var timeout: TimeInterval = 3

        public init(baseURL: URL, clientID: String, clientSecret: String, subscriptionKey: String, merchantSerialNumber: String? = nil) {
            self.baseURL = baseURL
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.subscriptionKey = subscriptionKey
            self.merchantSerialNumber = merchantSerialNumber
        }

        var exchangeURL: URL { baseURL.appendingPathComponent("v1").appendingPathComponent("exchange") }
        /// `/accesstoken/get` on the QR API's host.
        var accessTokenURL: URL {
            var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)!
            components.path = "/accesstoken/get"
            components.query = nil
            return components.url!
        }
    }

    public enum Failure: Error, Sendable, Equatable {
        /// The QR API does not know the code (expired, revoked, not a personal code).
        case unknownCode
        /// The QR API refused our credentials: the operator's to fix.
        case refusedCredentials
        /// No usable answer in time.
        case unavailable
    }

    public let configuration: Configuration
    private let transport: HTTPTransport
    private let token = Mutex<(value: String, expires: Date)?>(nil)
    private let now: @Sendable () -> Date

    public init(configuration: Configuration, now: @escaping @Sendable () -> Date = Date.init) {
        self.configuration = configuration
        transport = HTTPTransport(
            connectTimeout: configuration.timeout, totalTimeout: configuration.timeout, headers: configuration.systemHeaders,
            allowPlainHTTP: HTTPTransport.isLoopback(configuration.exchangeURL))
        self.now = now
    }

    /// The number behind a scanned tokenized code.
    public func exchange(_ scanned: String) async throws(Failure) -> PhoneNumber {
        let accessToken = try await self.accessToken()
        var request = OutboundRequest(post: configuration.exchangeURL)
        request.setHeader("Content-Type", "application/json")
        request.setHeader("Authorization", "Bearer " + accessToken)
        request.setHeader("Ocp-Apim-Subscription-Key", configuration.subscriptionKey)
        if let msn = configuration.merchantSerialNumber { request.setHeader("Merchant-Serial-Number", msn) }
        request.body = Array((try? JSONSerialization.data(withJSONObject: ["qrCode": scanned])) ?? Data())
        let answer: HTTPAnswer
        do { answer = try await transport.send(request) } catch { throw .unavailable }
        switch answer.status {
        case 200:
            guard let phone = Self.phone(in: answer.body) else { throw .unavailable }
            return phone
        case 400, 404, 410, 422: throw .unknownCode
        case 401, 403:
            token.withLock { $0 = nil }
            throw .refusedCredentials
        default: throw .unavailable
        }
    }

    static func phone(in body: Data) -> PhoneNumber? {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return nil }
        for key in ["phoneNumber", "msisdn", "phone_number"] {
            guard var text = object[key] as? String else { continue }
            if text.hasPrefix("+") { text.removeFirst() }
            return try? PhoneNumber(msisdn: text)
        }
        return nil
    }

    private func accessToken() async throws(Failure) -> String {
        if let cached = token.withLock({ $0 }), cached.expires > now() { return cached.value }
        var request = OutboundRequest(post: configuration.accessTokenURL)
        request.setHeader("client_id", configuration.clientID)
        request.setHeader("client_secret", configuration.clientSecret)
        request.setHeader("Ocp-Apim-Subscription-Key", configuration.subscriptionKey)
        if let msn = configuration.merchantSerialNumber { request.setHeader("Merchant-Serial-Number", msn) }
        let answer: HTTPAnswer
        do { answer = try await transport.send(request) } catch { throw .unavailable }
        guard answer.status == 200 else { throw [401, 403].contains(answer.status) ? .refusedCredentials : .unavailable }
        guard let object = (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any], let value = object["access_token"] as? String
        else { throw .unavailable }
        // `expires_in` comes as a string in Vipps' examples ("3599"); a number is read too.
        let lifetime = (object["expires_in"] as? String).flatMap(Double.init) ?? (object["expires_in"] as? Double) ?? 3600
        token.withLock { $0 = (value, now().addingTimeInterval(max(0, lifetime - 60))) }
        return value
    }
}
