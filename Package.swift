// swift-tools-version:6.0
// Velkommen: the website a merchant runs to welcome customers who identified themselves with Vipps Login.
// Module graph and the rules for it are in ../shared/design.md, section 2.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "velkommen",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "velkommen", targets: ["velkommen"]),
        .executable(name: "velkommen-bench-server", targets: ["BenchmarkServer"]),
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System libraries: Debian's -dev packages, found through pkg-config.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCMark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),

        // HTTP/1.1 server on the OS socket API (CLinuxEvents: the epoll and eventfd headers, which
        // Glibc's module leaves out). Foundation-free on purpose: it keeps the
        // resident set small (see ../shared/anchors/RESULTS.md §4.4).
        .systemLibrary(name: "CLinuxEvents"),
        .target(name: "HTTPServer", dependencies: ["CLinuxEvents"], swiftSettings: strict),

        .target(
            name: "App",
            dependencies: [
                "HTTPServer",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "velkommen",
            dependencies: [
                "App",
                "HTTPServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The three anchor routes (/hello, /page, /form) on HTTPServer, for ../shared/anchors/run.sh.
        .executableTarget(name: "BenchmarkServer", dependencies: ["HTTPServer"], swiftSettings: strict),

        // A byte-level HTTP client and other helpers the test targets share.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AppTests", dependencies: ["App", "HTTPServer", "TestSupport", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
    ]
)
