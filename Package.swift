// swift-tools-version:6.0
// Velkommen: the website a merchant runs to welcome customers who identified themselves with Vipps Login.
// Module graph and the rules for it: docs/architecture.md.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "velkommen",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "velkommen", targets: ["velkommen"]),
        .executable(name: "velkommen-bench-server", targets: ["BenchmarkServer"]),
        .executable(name: "velkommen-bench-storage", targets: ["BenchmarkStorage"]),
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // System libraries: Debian's -dev packages, found through pkg-config.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCMark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // HTTP/1.1 server on the OS socket API (CLinuxEvents: the epoll and eventfd headers, which
        // Glibc's module leaves out). Foundation-free on purpose: it keeps the
        // resident set small (docs/decisions.md).
        .systemLibrary(name: "CLinuxEvents"),
        // glibc's malloc.h, for the executable's arena limit (MallocArenas+Glibc.swift).
        .systemLibrary(name: "CMalloc"),
        .target(name: "HTTPServer", dependencies: ["CLinuxEvents"], swiftSettings: strict),

        // The stores and their transactions, over two engines: SQLite (embedded, the default) and
        // PostgreSQL through libpq (several instances on one database).
        .target(name: "Storage", dependencies: ["CSQLite", "CPostgres"], swiftSettings: strict),
        // Pages: Markdown (cmark, safe mode) with front matter, Mustache templates, nb/en strings.
        .target(
            name: "Content",
            dependencies: ["CCMark", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strict
        ),

        // Outbound HTTP (Vipps calls, webhooks) on libcurl's multi interface: deadlines, answer caps, no
        // redirects, pinned addresses. Foundation-free, like HTTPServer (docs/decisions.md).
        .target(name: "OutboundHTTP", dependencies: ["CCurl"], swiftSettings: strict),

        // The Vipps Login relying party: discovery, JWKS, CIBA and browser grants, ID tokens, userinfo.
        .target(
            name: "VippsLogin",
            dependencies: ["OutboundHTTP", .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // A faithful stand-in for Vipps Login, with a phone page per test user and hooks for tests.
        .target(
            name: "VippsSimulator",
            dependencies: ["HTTPServer", "OutboundHTTP", .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),

        .target(
            name: "App",
            dependencies: [
                "HTTPServer",
                "Storage",
                "Content",
                "VippsLogin",
                "OutboundHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "velkommen",
            dependencies: [
                "App",
                "CMalloc",
                "HTTPServer",
                "VippsLogin",
                "VippsSimulator",
                "Storage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The three anchor routes (/hello, /page, /form) on HTTPServer, for the anchors harness that scripts/bench runs.
        .executableTarget(name: "BenchmarkServer", dependencies: ["HTTPServer"], swiftSettings: strict),
        // Single-row answer inserts, one transaction each, through the app's write path.
        .executableTarget(name: "BenchmarkStorage", dependencies: ["Storage"], swiftSettings: strict),

        // A byte-level HTTP client and other helpers the test targets share.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .target(name: "StorageTestSupport", dependencies: ["Storage"], path: "Tests/StorageTestSupport", swiftSettings: strict),
        // Writes rows and prints each one once committed, so a test can kill -9 it and check nothing acknowledged was lost.
        .executableTarget(name: "StorageCrashProbe", dependencies: ["Storage"], path: "Tests/StorageCrashProbe", swiftSettings: strict),
        .testTarget(name: "VippsLoginTests", dependencies: ["VippsLogin", "VippsSimulator", "HTTPServer", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "OutboundHTTPTests", dependencies: ["OutboundHTTP", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport", "StorageTestSupport"], swiftSettings: strict),
        .testTarget(name: "ContentTests", dependencies: ["Content"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "AppTests", dependencies: ["App", "OutboundHTTP", "HTTPServer", "TestSupport", "StorageTestSupport", "VippsLogin", "VippsSimulator", "Storage", .product(name: "Logging", package: "swift-log"),
                                                 .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                                                 .product(name: "JWTKit", package: "jwt-kit")], swiftSettings: strict),
    ]
)
