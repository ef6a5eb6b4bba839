import HTTPServer

enum IPNetworkFixture {
    static let loopback = IPNetwork("127.0.0.0/8")!
}
