import Testing

@testable import App

@Suite("Webhook targets: https to public addresses only, checked once and connected to as checked")
struct WebhookTargetsTests {
    @Test(
        "every internal, reserved and special-purpose range is refused, by its first and last address",
        arguments: [
            "0.0.0.0", "0.255.255.255", "10.0.0.0", "10.255.255.255", "100.64.0.0", "100.127.255.255", "127.0.0.1", "127.255.255.255",
            "169.254.0.0", "169.254.169.254", "172.16.0.0", "172.31.255.255", "192.0.0.0", "192.0.0.255", "192.0.2.0", "192.0.2.255",
            "192.88.99.0", "192.88.99.255", "192.168.0.0", "192.168.255.255", "198.18.0.0", "198.19.255.255", "198.51.100.0",
            "198.51.100.255", "203.0.113.0", "203.0.113.255", "224.0.0.1", "239.255.255.255", "240.0.0.0", "255.255.255.255",
            "::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1", "::ffff:0:10.0.0.1",
            "64:ff9b::8.8.8.8", "64:ff9b::a00:1", "64:ff9b:1::1", "100::", "100::ffff:ffff:ffff:ffff", "2001::1", "2001:1ff:ffff::1",
            "2001:db8::1", "2001:db8:ffff::1", "2002::1", "2002:7f00:1::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1",
            "feff::1", "ff02::1", "ff0e::1",
        ])
    func internalRanges(address: String) {
        #expect(WebhookTargets.isInternal(address), "\(address) must be refused")
    }

    @Test(
        "public addresses pass, IPv4 inside IPv6 judged by its IPv4 address",
        arguments: [
            "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.1", "198.17.255.255",
            "198.20.0.0", "223.255.255.255", "2001:4860:4860::8888", "2a00:1450:4010::1", "::ffff:8.8.8.8", "2001:200::1",
        ])
    func publicAddresses(address: String) {
        #expect(!WebhookTargets.isInternal(address), "\(address) is public")
    }

    @Test("a zone, a name or anything else that is not a plain address counts as internal")
    func notAnAddress() {
        #expect(WebhookTargets.isInternal("fe80::1%eth0"))
        #expect(WebhookTargets.isInternal("2001:4860:4860::8888%1"))
        #expect(WebhookTargets.isInternal("example.com"))
        #expect(WebhookTargets.isInternal(""))
    }

    @Test("registration: https only, no user name, no zone, no internal literal; the test flag allows http and loopback")
    func registration() {
        #expect(WebhookTargets.registrationRefusal("https://crm.example/hooks", allowPrivate: false) == nil)
        #expect(WebhookTargets.registrationRefusal("http://crm.example/hooks", allowPrivate: false) == .httpsOnly)
        #expect(WebhookTargets.registrationRefusal("http://crm.example/hooks", allowPrivate: true) == nil)
        #expect(WebhookTargets.registrationRefusal("https://127.0.0.1/hooks", allowPrivate: false) == .internalAddress)
        #expect(WebhookTargets.registrationRefusal("https://[::ffff:10.0.0.1]/hooks", allowPrivate: false) == .internalAddress)
        #expect(WebhookTargets.registrationRefusal("https://[64:ff9b::a00:1]/hooks", allowPrivate: false) == .internalAddress)
        #expect(WebhookTargets.registrationRefusal("https://[fe80::1%25eth0]/hooks", allowPrivate: false) == .notAURL)
        #expect(WebhookTargets.registrationRefusal("https://[fe80::1%25eth0]/hooks", allowPrivate: true) == .notAURL)
        #expect(WebhookTargets.registrationRefusal("https://user:secret@crm.example/hooks", allowPrivate: false) == .notAURL)
        #expect(WebhookTargets.registrationRefusal("ftp://crm.example/hooks", allowPrivate: true) == .notAURL)
        #expect(WebhookTargets.registrationRefusal("file:///etc/passwd", allowPrivate: true) == .notAURL)
        #expect(WebhookTargets.registrationRefusal("https:///hooks", allowPrivate: false) == .notAURL)
        #expect(WebhookTargets.registrationRefusal("http://127.0.0.1:9/hooks", allowPrivate: true) == nil)
    }

    @Test("before each round the host is resolved once; any internal address refuses it, else the first is pinned")
    func pinning() async {
        #expect(await WebhookTargets.pin("https://127.0.0.1/hooks", allowPrivate: false) == .failure(.internalAddress))
        #expect(await WebhookTargets.pin("https://localhost/hooks", allowPrivate: false) == .failure(.internalAddress))
        // Another spelling of 127.0.0.1 that passes registration: refused once resolved.
        #expect(await WebhookTargets.registrationRefusal("https://2130706433/hooks", allowPrivate: false) == nil)
        #expect(await WebhookTargets.pin("https://2130706433/hooks", allowPrivate: false) == .failure(.internalAddress))
        #expect(await WebhookTargets.pin("https://[::1]/hooks", allowPrivate: false) == .failure(.internalAddress))
        #expect(await WebhookTargets.pin("https://webhooks.velkommen.invalid/hooks", allowPrivate: false) == .failure(.doesNotResolve))
        #expect(await WebhookTargets.pin("http://8.8.8.8/hooks", allowPrivate: false) == .failure(.httpsOnly))
        #expect(
            await WebhookTargets.pin("https://8.8.8.8/hooks", allowPrivate: false)
                == .success(.init(url: "https://8.8.8.8/hooks", address: "8.8.8.8", allowPlainHTTP: false)))
        #expect(
            await WebhookTargets.pin("http://127.0.0.1:9/hooks", allowPrivate: true)
                == .success(.init(url: "http://127.0.0.1:9/hooks", address: "127.0.0.1", allowPlainHTTP: true)))
    }
}
