/// A page revision with its Markdown rendered once; only the placeholders are filled per visitor.
public struct RenderedPage: Sendable {
    public let revisionID: Int64
    public let page: Page
    public let html: PlaceholderTemplate

    public init(revisionID: Int64, page: Page) {
        self.revisionID = revisionID
        self.page = page
        html = PlaceholderTemplate(html: Markdown.html(from: page.body))
    }

    init(revisionID: Int64, page: Page, html: PlaceholderTemplate) {
        self.revisionID = revisionID
        self.page = page
        self.html = html
    }
}

/// What the page choice needs to know about whoever is looking.
public struct Visitor: Sendable, Equatable {
    /// True for a first login, and for anyone not logged in.
    public var isFirstVisit: Bool
    /// The delegated consents the member accepted (`sms`, `email`, …).
    public var consents: Set<String>

    public init(isFirstVisit: Bool = true, consents: Set<String> = []) {
        self.isFirstVisit = isFirstVisit
        self.consents = consents
    }

    public static let anonymous = Visitor()

    /// Whether a page for `audience` is shown to this visitor.
    public func sees(_ audience: Audience) -> Bool { specificity(of: audience) != nil }

    /// Whether a page for `audience` is meant for this visitor, and how specifically (higher wins).
    func specificity(of audience: Audience) -> Int? {
        switch audience {
        case .all: 0
        case .firstVisit: isFirstVisit ? 1 : nil
        case .returning: isFirstVisit ? nil : 1
        case .consent(let id): consents.contains(id) ? 2 : nil
        }
    }
}
