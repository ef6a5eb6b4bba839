import Content
import Foundation
import HTTPServer
import Storage

/// `/admin` (links by role), `/admin/staff` (admins add staff and set roles) and `/admin/audit`.
struct StaffPages: Sendable {
    let access: StaffAccess
    let store: StaffStore
    let views: Views

    func dashboard(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let role = session.staff.role
        return try page(
            "pages/admin", request, session,
            [
                "pages": role == .admin || role == .marketing, "stats": role == .admin || role == .merchant,
                "till": role == .admin || role == .pos, "admin": role == .admin,
            ])
    }

    func staff(_ request: HTTPRequest, error: Bool = false) async throws -> HTTPResponse {
        let session = try request.staffSession
        return try page(
            "pages/admin-staff", request, session,
            [
                "staff": try await store.all().map {
                    [
                        "phone": $0.phone, "role": $0.role.rawValue, "name": $0.name ?? "", "linked": $0.sub != nil,
                        "removable": $0.phone != session.staff.phone,
                    ] as [String: Any]
                },
                "roles": StaffMember.Role.allCases.map(\.rawValue), "error": error,
            ], status: error ? .unprocessableContent : .ok)
    }

    func addStaff(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let form = request.formFields()
        try access.checkCSRF(form, session, request)
        guard let phone = form?["phone"].flatMap(StaffPhone.normalise), let role = form?["role"].flatMap(StaffMember.Role.init(rawValue:)) else {
            return try await staff(request, error: true)
        }
        try await store.add(phone: phone, role: role)
        try await store.audit(session.staff, action: "staff.add", detail: "\(phone) as \(role.rawValue)")
        return .redirect(to: "/admin/staff")
    }

    /// `POST /admin/staff/remove`: the member of staff is gone and signed out at once. An admin cannot
    /// remove themselves, so the staff area is never left without the one who was using it.
    func removeStaff(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let form = request.formFields()
        try access.checkCSRF(form, session, request)
        guard let phone = form?["phone"].flatMap(StaffPhone.normalise), phone != session.staff.phone else {
            return try await staff(request, error: true)
        }
        _ = try await store.remove(phone: phone, by: session.staff)
        return .redirect(to: "/admin/staff")
    }

    func audit(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        return try page(
            "pages/admin-audit", request, session,
            [
                "entries": try await store.auditLog().map {
                    ["who": $0.staffName, "action": $0.action, "detail": $0.detail, "at": PosAPI.iso($0.at)]
                }
            ])
    }

    func page(
        _ template: String, _ request: HTTPRequest, _ session: StaffSession, _ context: [String: Any], status: HTTPStatus = .ok
    ) throws -> HTTPResponse {
        var context = context
        context["csrf"] = session.csrfToken
        context["staffName"] = session.staff.name ?? session.staff.phone
        context["staffRole"] = session.staff.role.rawValue
        // The staff navigation: each section only for the roles that may use it.
        let role = session.staff.role
        context["staffNav"] = true
        context["canPages"] = role == .admin || role == .marketing
        context["canStats"] = role == .admin || role == .merchant
        context["canTill"] = role == .admin || role == .pos
        context["isAdmin"] = role == .admin
        var response = try views.page(template, in: VisitorLanguage.resolve(request).language, status: status, context)
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}

/// Staff phone numbers as stored: `47` and eight digits.
enum StaffPhone {
    static func normalise(_ text: String) -> String? {
        var digits = text.filter { $0.isNumber }
        if digits.count == 8 { digits = "47" + digits }
        return digits.count == 10 && digits.hasPrefix("47") ? digits : nil
    }
}
