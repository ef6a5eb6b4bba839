import HTTPServer
import Storage

extension VelkommenApp {
    var staffAccess: StaffAccess { StaffAccess(store: StaffStore(pool: database), views: views, secure: configuration.secureCookies) }

    /// `/admin`: staff login, the dashboard, staff and the audit log; the editor and statistics add theirs.
    func addStaffRoutes(to router: inout Router, errors: ErrorPages) throws {
        let access = staffAccess
        let store = StaffStore(pool: database)
        let flow = BrowserLogin(cookieName: "velkommen_staff_login", client: vipps, sealer: sealer, landing: landing,
                                callbackURL: configuration.staffCallbackURL, secure: configuration.secureCookies, logger: logger)
        let login = StaffLogin(flow: flow, access: access, store: store, pages: CallbackPages(views: views), logger: logger)
        let pages = StaffPages(access: access, store: store, views: views)
        router.get("/admin/login") { request in try await login.start(request) ?? errors.page(.serviceUnavailable, for: request) }
        router.get("/admin/callback") { try await login.callback($0) }
        router.post("/admin/logout", maxBodyBytes: 1024) { request in
            if let session = try await access.current(request) { try access.checkCSRF(request.formFields(), session, request) }
            var response = HTTPResponse.redirect(to: "/welcome")
            response.setCookie(try await access.end(request))
            return response
        }
        router.get("/admin") { try await pages.dashboard($0) }
        router.get("/admin/staff") { try await pages.staff($0) }
        router.post("/admin/staff", maxBodyBytes: 4096) { try await pages.addStaff($0) }
        router.post("/admin/staff/remove", maxBodyBytes: 1024) { try await pages.removeStaff($0) }
        let tills = TillPairingPages(access: access, pages: pages, pairings: TillPairingStore(pool: database), stores: stores)
        router.get("/admin/tills") { try await tills.show($0) }
        router.post("/admin/tills", maxBodyBytes: 1024) { try await tills.create($0) }
        router.get("/admin/audit") { try await pages.audit($0) }
    }
}

extension VelkommenApp {
    /// `/admin/pages…`: the content editor.
    func addEditorRoutes(to router: inout Router) {
        let access = staffAccess
        let store = StaffStore(pool: database)
        let editor = EditorPages(access: access, staff: store, library: pages, views: views,
                                 pages: StaffPages(access: access, store: store, views: views))
        router.get("/admin/pages") { try await editor.list($0) }
        router.get("/admin/pages/edit") { try await editor.edit($0) }
        router.post("/admin/pages/save", maxBodyBytes: 256 * 1024) { try await editor.save($0) }
        router.get("/admin/pages/history") { try await editor.history($0) }
        router.get("/admin/pages/diff") { try await editor.diff($0) }
        router.post("/admin/pages/restore", maxBodyBytes: 4096) { try await editor.restore($0) }
        router.post("/admin/pages/unpublish", maxBodyBytes: 4096) { try await editor.unpublish($0) }
    }
}

extension VelkommenApp {
    /// `/admin/stats…`: the merchant's numbers and exports.
    func addStatsRoutes(to router: inout Router) {
        let access = staffAccess
        let store = StaffStore(pool: database)
        let stats = StatsPage(access: access, staff: store, stats: StatsStore(pool: database),
                              pages: StaffPages(access: access, store: store, views: views), pool: database, questions: questions)
        router.get("/admin/stats") { try await stats.show($0) }
        router.get("/admin/stats.csv") { try await stats.csv($0) }
        router.get("/admin/stats/members.csv") { try await stats.consentedMembers($0) }
    }
}

extension VelkommenApp {
    /// `/admin/questions`: the preference questions.
    func addQuestionRoutes(to router: inout Router) {
        let access = staffAccess
        let store = StaffStore(pool: database)
        let editor = QuestionEditor(access: access, staff: store, book: questions, pages: StaffPages(access: access, store: store, views: views))
        router.get("/admin/questions") { try await editor.list($0) }
        router.post("/admin/questions", maxBodyBytes: 64 * 1024) { try await editor.save($0) }
    }
}
