import Foundation
import HTTPServer
import Storage

/// A request for one pass with `Authorization: ApplePass <token>` for the serial in its path.
struct RequirePassToken: AccessRule {
    let passes: AppleWalletPasses

    var summary: String { "Apple Wallet pass token" }

    func handle(_ request: HTTPRequest, next: any HTTPHandler) async throws -> HTTPResponse {
        guard let serial = request.parameter("serial"), passes.isAuthorized(request.headers["Authorization"], serial: serial) else {
            return .status(.unauthorized)
        }
        return try await next.handle(request)
    }
}

extension VelkommenApp {
    /// The member card for the phone's wallet (`/card.pkpass`) and Apple's PassKit web service under
    /// `/wallet/v1/`; nothing when no wallet is configured.
    func addWalletRoutes(to router: inout Router) {
        guard let style = wallet.style else { return }
        router.group("/wallet", Public()) { images in
            images.get("/images/{name}") { request in
                guard let image = style.images.first(where: { $0.name == request.parameter("name") }) else { return .status(.notFound) }
                var response = HTTPResponse.json(Array(image.data), contentType: "image/png")
                response.headers.set("Cache-Control", "public, max-age=86400")
                return response
            }
        }
        if wallet.google != nil {
            let wallet = wallet
            router.group("", RequireMember(visitors: visitors)) { member in
                // The welcome page is the same for every member; the save link is each member's own.
                member.get("/card/google-wallet") { request in
                    let links = try await MemberCardPage.walletLinks(wallet, member: try request.signedIn.member)
                    guard let link = links["googleWallet"] as? String else { return .status(.notFound) }
                    return .redirect(to: link)
                }
            }
        }
        guard let passes = wallet.apple else { return }
        let store = WalletPassStore(pool: database)
        let offers = welcomeOffers
        let service = PassKitService(passes: passes, store: store, members: MemberStore(pool: database), logger: logger, offers: offers)
        router.group("", RequireMember(visitors: visitors)) { member in
            member.get("/card.pkpass") { request in
                let signedIn = try request.signedIn
                let member = signedIn.member
                let content = AppleWalletPasses.Content(
                    name: member.profile.name ?? member.profile.givenName, number: member.memberNumber, voided: false,
                    offer: try await PassKitService.offer(offers, sub: member.profile.sub))
                let pass = try await store.pass(forMember: member.profile.sub, newSerial: Tokens.random(bytes: 16), contentKey: content.key)
                _ = try await store.noteContent(serial: pass.serial, contentKey: content.key)
                let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
                var response = HTTPResponse.json(
                    Array(try await passes.package(serial: pass.serial, content: content, language: language)),
                    contentType: "application/vnd.apple.pkpass")
                response.headers.set("Content-Disposition", "attachment; filename=\"medlemskort.pkpass\"")
                response.headers.set("Cache-Control", "private, no-store")
                return response
            }
        }
        router.group("/wallet/v1", Public()) { device in
            device.get("/devices/{device}/registrations/{passType}") { try await service.updated($0) }
            device.post("/log", maxBodyBytes: 64 * 1024) { service.log($0) }
        }
        router.group("/wallet/v1", RequirePassToken(passes: passes)) { pass in
            pass.post("/devices/{device}/registrations/{passType}/{serial}", maxBodyBytes: 4096) { try await service.register($0) }
            pass.on(.delete, "/devices/{device}/registrations/{passType}/{serial}", use: ClosureHandler { try await service.unregister($0) })
            pass.get("/passes/{passType}/{serial}") { try await service.latest($0, language: .fallback) }
        }
    }
}
