import HTTPServer
import Storage

extension VelkommenApp {
    var staffAccess: StaffAccess { StaffAccess(store: StaffStore(pool: database), views: views, secure: configuration.secureCookies) }

    /// `/admin`: staff login, the dashboard, staff and the audit log; the editor and statistics add theirs.
    func addStaffRoutes(to router: inout Router) {
        let errors = errorPages
        let access = staffAccess
        let store = StaffStore(pool: database)
        let flow = BrowserLogin(
            cookieName: "velkommen_staff_login", scopes: BrowserLogin.staffScopes, client: vipps, sealer: sealer,
            spent: SpentTokenStore(pool: database), landing: landing,
            callbackURL: configuration.staffCallbackURL, secure: configuration.secureCookies, logger: logger)
        let login = StaffLogin(flow: flow, access: access, store: store, pages: CallbackPages(views: views), logger: logger)
        let pages = StaffPages(access: access, store: store, views: views)
        let (limits, callbackPages) = (limits, CallbackPages(views: views))
        // Both make Vipps work for anyone who asks, so both are limited per client like the customers' ones.
        router.group("/admin", Public()) { admin in
            admin.get("/login") { request in
                if let refusal = try await callbackPages.refusal(limits.loginStarts, site: limits.loginStartsPerSite, request) { return refusal }
                return try await login.start(request) ?? errors.page(.serviceUnavailable, for: request)
            }
            admin.get("/callback") { request in
                if let refusal = try await callbackPages.refusal(limits.perAddress, site: limits.callbacksPerSite, request) { return refusal }
                return try await login.callback(request)
            }
            admin.post("/logout", maxBodyBytes: 1024) { request in
                if let session = try await access.current(request) { try access.checkCSRF(request.formFields(), session, request) }
                var response = HTTPResponse.redirect(to: "/welcome")
                response.setCookie(try await access.end(request))
                return response
            }
        }
        router.group("/admin", RequireStaff(roles: [], access: access)) { anyStaff in
            anyStaff.get("") { try await pages.dashboard($0) }
        }
        let tills = TillPairingPages(access: access, pages: pages, pairings: TillPairingStore(pool: database), stores: stores)
        router.group("/admin", RequireStaff(roles: [.admin], access: access)) { admin in
            admin.get("/staff") { try await pages.staff($0) }
            admin.post("/staff", maxBodyBytes: 4096) { try await pages.addStaff($0) }
            admin.post("/staff/remove", maxBodyBytes: 1024) { try await pages.removeStaff($0) }
            admin.get("/tills") { try await tills.show($0) }
            admin.post("/tills", maxBodyBytes: 1024) { try await tills.create($0) }
            admin.get("/audit") { try await pages.audit($0) }
        }
        let webhooks = WebhookPages(
            pages: pages, store: WebhookStore(pool: database), staff: store, allowPrivateTargets: configuration.allowPrivateWebhookTargets)
        router.group("/admin/webhooks", RequireStaff(roles: [.admin], access: access)) { admin in
            admin.get("") { try await webhooks.list($0) }
            admin.post("", maxBodyBytes: 4096) { try await webhooks.add($0) }
            admin.get("/{id}") { try await webhooks.show($0) }
            admin.post("/{id}", maxBodyBytes: 1024) { try await webhooks.change($0) }
            admin.post("/{id}/resend", maxBodyBytes: 1024) { try await webhooks.resend($0) }
        }
    }
}

extension VelkommenApp {
    /// `/admin/pages…`: the content editor.
    func addEditorRoutes(to router: inout Router) {
        let access = staffAccess
        let store = StaffStore(pool: database)
        let editor = EditorPages(
            access: access, staff: store, library: pages, views: views,
            pages: StaffPages(access: access, store: store, views: views), offerSettings: OfferSettingsStore(pool: database))
        let media = MediaUploads(
            access: access, staff: store, store: MediaStore(pool: database), pages: StaffPages(access: access, store: store, views: views))
        router.group("/admin/pages", RequireStaff(roles: EditorPages.roles, access: access)) { pages in
            pages.get("") { try await editor.list($0) }
            pages.get("/edit") { try await editor.edit($0) }
            pages.post("/save", maxBodyBytes: 256 * 1024) { try await editor.save($0) }
            pages.get("/history") { try await editor.history($0) }
            pages.get("/diff") { try await editor.diff($0) }
            pages.post("/restore", maxBodyBytes: 4096) { try await editor.restore($0) }
            pages.post("/unpublish", maxBodyBytes: 4096) { try await editor.unpublish($0) }
            pages.post("/offer", maxBodyBytes: 4096) { try await editor.saveOffer($0) }
            pages.get("/media") { try await media.list($0) }
            pages.post("/media", maxBodyBytes: MediaUploads.maxBytes + 64 * 1024) { try await media.upload($0) }
        }
        router.group("/media", Public()) { images in
            images.get("/{name}") { request in try await media.serve(request, name: request.pathParameters["name"] ?? "") }
        }
    }
}

extension VelkommenApp {
    /// `/admin/stats…`: the merchant's numbers and exports.
    func addStatsRoutes(to router: inout Router) {
        let access = staffAccess
        let store = StaffStore(pool: database)
        let stats = StatsPage(
            access: access, staff: store, stats: StatsStore(pool: database),
            pages: StaffPages(access: access, store: store, views: views), pool: database, questions: questions, storeNames: stores,
            mapping: consentMapping)
        router.group("/admin", RequireStaff(roles: [.merchant], access: access)) { merchant in
            merchant.get("/stats") { try await stats.show($0) }
            merchant.get("/stats.csv") { try await stats.csv($0) }
        }
        router.group("/admin", RequireStaff(roles: [.admin], access: access)) { admin in
            admin.get("/stats/members.csv") { try await stats.consentedMembers($0) }
        }
    }
}

extension VelkommenApp {
    /// `/admin/questions`: the preference questions.
    func addQuestionRoutes(to router: inout Router) {
        let access = staffAccess
        let store = StaffStore(pool: database)
        let editor = QuestionEditor(access: access, staff: store, book: questions, pages: StaffPages(access: access, store: store, views: views))
        router.group("/admin/questions", RequireStaff(roles: [.marketing], access: access)) { questions in
            questions.get("") { try await editor.list($0) }
            questions.post("", maxBodyBytes: 64 * 1024) { try await editor.save($0) }
        }
    }
}
