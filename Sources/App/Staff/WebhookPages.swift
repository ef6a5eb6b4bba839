import Foundation
import HTTPServer
import Storage

/// `/admin/webhooks` (admins): the merchant's endpoints: add one (its signing secret is shown once),
/// switch it off and on, remove it, and on its own page see the last deliveries and send one again.
/// Every change is in the audit log.
struct WebhookPages: Sendable {
    let pages: StaffPages
    let store: WebhookStore
    let staff: StaffStore
    /// `serve --allow-private-webhook-targets`: plain http and internal addresses allowed (tests).
    let allowPrivateTargets: Bool

    /// Why an endpoint was not added, as the page says it.
    enum AddError { case invalid, httpsOnly, internalAddress }

    func list(_ request: HTTPRequest, secret: (id: Int64, value: String)? = nil, error: AddError? = nil) async throws -> HTTPResponse {
        let session = try request.staffSession
        let day: TimeInterval = 86400
        var context: [String: Any] = [
            "endpoints": try await store.endpoints().map { endpoint in
                [
                    "id": endpoint.id, "url": endpoint.url, "events": endpoint.events.sorted().joined(separator: ", "), "enabled": endpoint.enabled,
                    "failing": endpoint.failingSince.map { Date().timeIntervalSince($0) > day } ?? false,
                ] as [String: Any]
            },
            "types": MemberEvents.types.map { ["type": $0] }, "error": error != nil, "errorInvalid": error == .invalid,
            "errorHTTPS": error == .httpsOnly, "errorInternal": error == .internalAddress,
        ]
        if let secret { context["newSecret"] = ["id": secret.id, "value": secret.value] }
        return try pages.page("pages/admin-webhooks", request, session, context, status: error != nil ? .unprocessableContent : .ok)
    }

    func add(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let form = request.formFields()
        try pages.access.checkCSRF(form, session, request)
        let url = form?["url"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let events = (form?.values("events") ?? []).filter(MemberEvents.types.contains)
        switch WebhookTargets.registrationRefusal(url, allowPrivate: allowPrivateTargets) {
        case .httpsOnly: return try await list(request, error: .httpsOnly)
        case .internalAddress: return try await list(request, error: .internalAddress)
        case .notAURL, .doesNotResolve: return try await list(request, error: .invalid)
        case nil: guard !events.isEmpty else { return try await list(request, error: .invalid) }
        }
        let secret = WebhookSigner.newSecret()
        let id = try await store.add(url: url, secret: secret, events: Set(events))
        try await staff.audit(session.staff, action: "webhook.add", detail: "endpoint \(id): \(url) for \(events.joined(separator: ","))")
        return try await list(request, secret: (id, secret))
    }

    /// Switch off, on, or remove.
    func change(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let form = request.formFields()
        try pages.access.checkCSRF(form, session, request)
        guard let id = request.parameter("id").flatMap(Int64.init), let action = form?["action"] else {
            throw StaffAccess.Denied(response: .status(.badRequest))
        }
        switch action {
        case "disable": try await store.setEnabled(id: id, false)
        case "enable": try await store.setEnabled(id: id, true)
        case "remove": _ = try await store.remove(id: id)
        default: throw StaffAccess.Denied(response: .status(.badRequest))
        }
        try await staff.audit(session.staff, action: "webhook.\(action)", detail: "endpoint \(id)")
        return .redirect(to: action == "remove" ? "/admin/webhooks" : "/admin/webhooks/\(id)")
    }

    func show(_ request: HTTPRequest, resendRefused: Bool = false) async throws -> HTTPResponse {
        let session = try request.staffSession
        guard let id = request.parameter("id").flatMap(Int64.init), let endpoint = try await store.endpoints().first(where: { $0.id == id }) else {
            throw StaffAccess.Denied(response: .status(.notFound))
        }
        let deliveries = try await store.recentDeliveries(endpoint: id).map { delivery in
            [
                "event": delivery.event, "id": delivery.eventID, "type": delivery.type, "status": delivery.status, "attempts": delivery.attempts,
                "answer": delivery.lastStatus.map(String.init) ?? delivery.lastError ?? "", "at": PosAPI.iso(delivery.at),
            ] as [String: Any]
        }
        return try pages.page(
            "pages/admin-webhook", request, session,
            [
                "endpointID": endpoint.id, "url": endpoint.url, "events": endpoint.events.sorted().joined(separator: ", "),
                "enabled": endpoint.enabled, "deliveries": deliveries, "resendRefused": resendRefused,
            ], status: resendRefused ? .conflict : .ok)
    }

    func resend(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let form = request.formFields()
        try pages.access.checkCSRF(form, session, request)
        guard let id = request.parameter("id").flatMap(Int64.init), let event = form?["event"].flatMap(Int64.init) else {
            throw StaffAccess.Denied(response: .status(.notFound))
        }
        switch try await store.resend(event: event, endpoint: id) {
        case .notFound: throw StaffAccess.Denied(response: .status(.notFound))
        case .memberErased: return try await show(request, resendRefused: true)
        case .resent: break
        }
        try await staff.audit(session.staff, action: "webhook.resend", detail: "endpoint \(id), event \(event)")
        return .redirect(to: "/admin/webhooks/\(id)")
    }
}
