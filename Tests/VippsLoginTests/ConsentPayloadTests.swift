import Foundation
import Testing

@testable import VippsLogin

/// `flowResult` and `agreement` are not documented beyond an outline: the client reads the documented
/// example and the other plausible shapes, and never fails a login over an object it cannot read.
@Suite("customFlow and agreement payloads, read leniently")
struct ConsentPayloadTests {
    static func userinfo(_ extra: String) throws -> UserInfo {
        try UserInfo.decode(Data(#"{"sub": "s-1", \#(extra)}"#.utf8))
    }

    @Test("the documented flowResult: screens with terms links and checkbox elements")
    func documentedFlow() throws {
        let info = try Self.userinfo(
            #"""
            "flowResult": {"language": "EN", "screens": [{"title": "Join", "description": "Our club",
              "terms": {"links": [{"title": "Terms", "url": "https://example.no/terms"}]},
              "elements": [{"type": "checkbox", "id": "cf_accept_terms", "title": "Accept T&C", "checked": true},
                           {"type": "checkbox", "id": "cf_news", "title": "News by e-mail", "checked": false},
                           {"type": "text", "title": "Read carefully"}]}]}
            """#)
        let flow = try #require(info.flowResult)
        #expect(flow.checkboxes.map(\.id) == ["cf_accept_terms", "cf_news"])
        #expect(flow.checkboxes.map(\.checked) == [true, false])
        #expect(flow.checkboxes[0].screen.links == [FlowResult.Link(title: "Terms", url: "https://example.no/terms")])
        #expect(info.flowResultJSON?.contains("cf_accept_terms") == true, "kept verbatim for the receipt")
    }

    @Test("other plausible shapes: `customFlow` as the key, accepted/value for the answer, text/label for the words, links on the screen")
    func otherShapes() throws {
        let info = try Self.userinfo(
            #"""
            "customFlow": {"screens": [{"title": "Bli med", "links": [{"text": "Vilkår", "href": "https://example.no/v"}],
              "elements": [{"type": "CHECKBOX", "id": "a", "label": "Tilbud", "accepted": true},
                           {"type": "checkbox", "id": 7, "text": "SMS", "value": "true"},
                           {"type": "checkbox", "id": "c", "title": "No answer"}]}]}
            """#)
        let boxes = try #require(info.flowResult).checkboxes
        #expect(boxes.map(\.id) == ["a", "7", "c"])
        #expect(boxes.map(\.title) == ["Tilbud", "SMS", "No answer"])
        #expect(boxes.map(\.checked) == [true, true, false], "an unanswered box is not ticked")
        #expect(boxes[0].screen.links == [FlowResult.Link(title: "Vilkår", url: "https://example.no/v")])
    }

    @Test("an object of another shape does not fail the login: it is simply not read")
    func unknownShape() throws {
        let info = try Self.userinfo(#""flowResult": "done", "agreement": [1, 2]"#)
        #expect(info.flowResult == nil && info.agreement == nil && info.sub == "s-1")
    }

    @Test("agreement with links as delegatedConsents has them, or as a list; a version that changes with what was shown")
    func agreement() throws {
        let object = try #require(
            try Self.userinfo(
                #"""
                "agreement": {"language": "NO", "description": "Godta vilkårene", "buttonText": "Godta",
                  "links": {"termsLinkText": "Vilkår", "termsLinkUrl": "https://example.no/v",
                            "privacyStatementLinkText": "Personvern", "privacyStatementLinkUrl": "https://example.no/p"},
                  "timestamp": "2026-11-02T10:00:00Z", "accepted": true}
                """#
            ).agreement)
        #expect(object.links.map(\.url) == ["https://example.no/v", "https://example.no/p"])
        #expect(object.timestamp == ISO8601DateFormatter().date(from: "2026-11-02T10:00:00Z"))
        let listed = try #require(
            try Self.userinfo(
                #"""
                "agreement": {"language": "NO", "description": "Godta vilkårene", "buttonText": "Godta",
                  "links": [{"title": "Vilkår", "url": "https://example.no/v"}, {"title": "Personvern", "url": "https://example.no/p"}],
                  "timestamp": 1793613600}
                """#
            ).agreement)
        #expect(listed.accepted, "absent means accepted: the login cannot complete without it")
        #expect(listed.links == object.links && listed.version == object.version, "the same terms shown are the same version")
        #expect(listed.timestamp == Date(timeIntervalSince1970: 1_793_613_600))
        let changed = try #require(
            try Self.userinfo(#""agreement": {"language": "NO", "description": "Godta de nye vilkårene", "links": []}"#).agreement)
        #expect(changed.version != object.version && changed.version.count == 16)
    }
}
