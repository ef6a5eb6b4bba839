import Content
import Foundation
import HTTPServer
import Logging
import Storage

/// Apple's PassKit web service at `{public URL}/wallet/v1/…`: devices register for a pass's updates,
/// ask which of their passes changed since a tag, and fetch the newest version; a pass changes when
/// what it shows does (a new name) and is void once the member is erased. Apple's paths and answers:
/// 201/200 for a registration, 204 when nothing changed, 304 for an unchanged pass, 401 without a valid
/// `ApplePass` token. Changes are noticed when a device asks (a push through APNs is not sent: see README).
struct PassKitService: Sendable {
    let passes: AppleWalletPasses
    let store: WalletPassStore
    let members: MemberStore
    let logger: Logger
    var offers: WelcomeOffers? = nil

    /// What the pass of `pass` shows now, read from the member (void once erased).
    func content(of pass: WalletPass) async throws -> AppleWalletPasses.Content {
        guard pass.voidedAt == nil, let sub = pass.sub, let member = try await members.find(sub: sub) else { return .void }
        return AppleWalletPasses.Content(
            name: member.profile.name ?? member.profile.givenName, number: member.memberNumber, voided: false,
            offer: try await Self.offer(offers, sub: sub))
    }

    /// The open welcome offer as the pass shows it, in the pass's one language (Wallet does not ask in another).
    static func offer(_ offers: WelcomeOffers?, sub: String) async throws -> String? {
        try await offers?.open(member: sub, language: .fallback).map { "\($0.code) · \($0.text)" }
    }

    /// The pass as it is now, its change noted.
    func current(_ pass: WalletPass) async throws -> (WalletPass, AppleWalletPasses.Content) {
        let content = try await content(of: pass)
        let noted = try await store.noteContent(serial: pass.serial, contentKey: content.key) ?? pass
        return (noted, content)
    }

    static func isIdentifier(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
                    || byte == 0x2E
            }
    }

    /// The pass named by the path, when the path names our pass type and a pass we issued.
    func pass(_ request: HTTPRequest) async throws -> WalletPass? {
        guard request.parameter("passType") == passes.configuration.passTypeID, let serial = request.parameter("serial"),
            Self.isIdentifier(serial)
        else { return nil }
        return try await store.find(serial: serial)
    }

    /// `POST …/devices/{device}/registrations/{passType}/{serial}` with `{"pushToken": …}`.
    func register(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let device = request.parameter("device"), Self.isIdentifier(device), let pass = try await pass(request) else {
            return .status(.notFound)
        }
        guard passes.isAuthorized(request.headers["Authorization"], serial: pass.serial) else { return .status(.unauthorized) }
        struct Body: Decodable { var pushToken: String }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(request.body)), (1...512).contains(body.pushToken.utf8.count) else {
            return .status(.badRequest)
        }
        return try await store.register(device: device, serial: pass.serial, pushToken: body.pushToken) ? .status(.created) : .status(.ok)
    }

    /// `DELETE …/devices/{device}/registrations/{passType}/{serial}`.
    func unregister(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let device = request.parameter("device"), Self.isIdentifier(device), let pass = try await pass(request) else {
            return .status(.notFound)
        }
        guard passes.isAuthorized(request.headers["Authorization"], serial: pass.serial) else { return .status(.unauthorized) }
        _ = try await store.unregister(device: device, serial: pass.serial)
        return .status(.ok)
    }

    /// `GET …/devices/{device}/registrations/{passType}?passesUpdatedSince=tag`: the serials changed
    /// since the tag (all without one), and the tag to send next time; 204 when none.
    func updated(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let device = request.parameter("device"), Self.isIdentifier(device),
            request.parameter("passType") == passes.configuration.passTypeID
        else { return .status(.notFound) }
        let since = request.queryValue("passesUpdatedSince").flatMap(Double.init)
        var changed: [WalletPass] = []
        for pass in try await store.registered(device: device) {
            let (noted, _) = try await current(pass)
            if since.map({ noted.updatedAt.timeIntervalSince1970 > $0 }) ?? true { changed.append(noted) }
        }
        guard let latest = changed.map(\.updatedAt).max() else { return .status(.noContent) }
        // The tag is the time itself, written so that it reads back exactly (a rounded one could list a pass again).
        let body: [String: Any] = ["serialNumbers": changed.map(\.serial), "lastUpdated": String(latest.timeIntervalSince1970)]
        return .json(Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
    }

    /// `GET …/passes/{passType}/{serial}`: the newest pass, or 304 when it has not changed since
    /// `If-Modified-Since`.
    func latest(_ request: HTTPRequest, language: Language) async throws -> HTTPResponse {
        guard let pass = try await pass(request) else { return .status(.notFound) }
        guard passes.isAuthorized(request.headers["Authorization"], serial: pass.serial) else { return .status(.unauthorized) }
        let (noted, content) = try await current(pass)
        let modified = Int(noted.updatedAt.timeIntervalSince1970)
        if let since = request.headers["If-Modified-Since"].flatMap(HTTPDate.parse), since >= modified {
            return .status(.notModified)
        }
        var response = HTTPResponse.json(
            Array(try await passes.package(serial: pass.serial, content: content, language: language)), contentType: "application/vnd.apple.pkpass")
        response.headers.set("Last-Modified", HTTPDate.format(secondsSince1970: modified))
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// `POST …/log`: what devices report of problems with our passes. Counted, never echoed: the
    /// messages may hold addresses and serials.
    func log(_ request: HTTPRequest) -> HTTPResponse {
        struct Body: Decodable { var logs: [String] }
        let count = (try? JSONDecoder().decode(Body.self, from: Data(request.body)))?.logs.count ?? 0
        logger.notice("wallet: a device reported \(count) problem(s) with a pass")
        return .status(.ok)
    }
}
