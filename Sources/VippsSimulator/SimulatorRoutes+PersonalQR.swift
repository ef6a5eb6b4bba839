import Foundation
import HTTPServer

extension SimulatorRoutes {
    /// `POST /accesstoken/get`: the merchant APIs' access token, for the sales unit's `client_id`,
    /// `client_secret` and `Ocp-Apim-Subscription-Key` headers. `expires_in` is a string, as in Vipps' examples.
    func qrAccessToken(_ request: HTTPRequest) async -> HTTPResponse {
        guard let id = request.headers["client_id"], let client = configuration.client(id), request.headers["client_secret"] == client.secret,
            request.headers["Ocp-Apim-Subscription-Key"] == configuration.subscriptionKey
        else {
            return OAuthProblem.json(
                ["error": "unauthorized_client", "error_description": "Wrong client_id, client_secret or subscription key"], status: .unauthorized)
        }
        let token = await state.issueQRAccessToken()
        return OAuthProblem.json(["token_type": "Bearer", "expires_in": "3599", "access_token": token])
    }

    /// `POST /qr/v1/exchange` with `{"qrCode": "<the scanned text>"}`: the number behind a personal QR
    /// code, as `{"phoneNumber": "4512345678"}`. Tokens are `personalQRTokens` of the configuration; a
    /// clear-text Vipps code is answered with its own number (Vipps recommends the exchange for those too).
    func qrExchange(_ request: HTTPRequest) async -> HTTPResponse {
        guard let header = request.headers["Authorization"], header.hasPrefix("Bearer "),
            await state.qrAccessTokens.contains(String(header.dropFirst(7))),
            request.headers["Ocp-Apim-Subscription-Key"] == configuration.subscriptionKey
        else {
            return Self.qrProblem(.unauthorized, "Unauthorized", "A valid access token and subscription key are required.")
        }
        guard let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any], let code = body["qrCode"] as? String,
            let url = URLComponents(string: code.trimmingCharacters(in: .whitespacesAndNewlines)),
            let last = url.path.split(separator: "/").last.map(String.init)
        else {
            return Self.qrProblem(.badRequest, "Bad Request", "Send {\"qrCode\": \"<the scanned text>\"}.")
        }
        if let msisdn = configuration.personalQRTokens[last] {
            return OAuthProblem.json(["phoneNumber": msisdn])
        }
        if url.host == "qr.vipps.no", Self.msisdn(fromLoginHint: "urn:msisdn:" + last) != nil {
            return OAuthProblem.json(["phoneNumber": last])
        }
        return Self.qrProblem(.notFound, "Not Found", "The QR code is unknown or expired.")
    }

    /// The merchant APIs' problem shape (RFC 7807).
    static func qrProblem(_ status: HTTPStatus, _ title: String, _ detail: String) -> HTTPResponse {
        let data =
            (try? JSONSerialization.data(withJSONObject: ["title": title, "status": status.code, "detail": detail], options: [.sortedKeys])) ?? Data()
        return .json(Array(data), status: status, contentType: "application/problem+json")
    }
}
