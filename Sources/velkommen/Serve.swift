import App
import ArgumentParser
import Foundation
import HTTPServer
import Logging
import ServiceLifecycle
import VippsLogin
import VippsSimulator

/// `velkommen serve`: runs the web app until SIGTERM or SIGINT, then shuts down gracefully.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web app (the default command).")

    @OptionGroup var options: ServeOptions

    @Option(name: .customLong("sim-port"), help: "Port of the Vipps Login simulator started when VIPPS_CLIENT_ID is unset.")
    var simulatorPort = 8081

    @Flag(name: .customLong("no-simulator"), help: "Do not start the simulator (Vipps login will be unavailable without VIPPS_CLIENT_ID).")
    var noSimulator = false

    @Option(name: .customLong("sim-config"), help: "JSON file for the simulator (users, consents, limits), as `velkommen simulator --config`.")
    var simulatorConfigurationPath: String?

    @Flag(name: .customLong("no-rate-limits"), help: "Turn off the rate limits on starting logins and on callbacks. Only for load tests.")
    var noRateLimits = false

    @Flag(
        name: .customLong("allow-private-webhook-targets"), help: "Let webhooks go to loopback and private addresses. Only for tests on one machine.")
    var allowPrivateWebhookTargets = false

    func run() async throws {
        MallocArenas.limitToOnePerCore()
        LoggingSystem.bootstrap { BufferedLogHandler(label: $0) }
        defer { LogSink.standardOutput.flush() }
        let logger = Logger(label: "velkommen")
        var app: AppConfiguration
        do {
            app = try options.configuration()
            app.rateLimited = !noRateLimits
            app.allowPrivateWebhookTargets = allowPrivateWebhookTargets
            try app.validate()
        } catch {
            throw CommandFailure("cannot start", error)
        }
        var simulator: VippsSimulator?
        if app.vipps == nil && !noSimulator {
            // The simulator must know our callback address before we bind, so --port 0 takes its free
            // port now (a demo on loopback: the race with another process is harmless there).
            if app.port == 0 && app.publicURL == nil { app.port = FreePort.find(host: app.host) }
            simulator = try await startSimulator(for: &app, logger: logger)
        }

        let router: any HTTPHandler
        let velkommen: VelkommenApp
        do {
            velkommen = try await VelkommenApp.start(app, logger: logger)
            router = try velkommen.router()
        } catch {
            throw CommandFailure("cannot start", error)
        }
        var server = HTTPServer.Configuration()
        server.host = app.host
        server.port = app.port
        let access = AccessLogger()
        server.accessLog = { access.log($0) }
        let errors = Logger(label: "velkommen.server")
        server.errorLog = { errors.warning("\($0)") }
        server.refusal = velkommen.refusals
        if let hsts = app.strictTransportSecurity { server.defaultHeaders.set("Strict-Transport-Security", hsts) }

        let httpServer = HTTPServer(configuration: server, handler: router)
        let bound = try httpServer.start()
        let metricsServer = try startMetrics(app, velkommen: velkommen, main: httpServer, logger: logger)
        logger.info("Velkommen is listening on http://\(app.host):\(bound)/ (health: /healthz), public address \(app.publicURL ?? "not set")")
        if !app.trustedProxies.isEmpty {
            logger.info("client addresses from X-Forwarded-For of \(app.trustedProxies.map(\.description).joined(separator: ", "))")
        }
        if noRateLimits { logger.warning("rate limits are off (--no-rate-limits): for load tests only") }
        if let simulator {
            logger.info("Till (demo, no API key needed): http://\(app.host):\(bound)/pos")
            logger.info("Simulated phones (confirm logins there): \(simulator.baseURL)/")
        }
        // SIGTERM or SIGINT shuts the services down in reverse order: the site first (in-flight requests
        // finish), then metrics, then the background work, which is awaited before exit.
        let services: [any Service] =
            velkommen.backgroundServices() + [metricsServer].compactMap { $0 }.map(ListeningService.init)
            + [ListeningService(server: httpServer)]
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        await simulator?.shutdown()
        logger.info("stopped")
    }
}

extension Serve {
    /// `/metrics` on its own listener (loopback by default), so the public site never exposes it.
    func startMetrics(_ app: AppConfiguration, velkommen: VelkommenApp, main: HTTPServer, logger: Logger) throws -> HTTPServer? {
        guard let port = app.metricsPort else { return nil }
        var configuration = HTTPServer.Configuration()
        configuration.host = app.metricsHost
        configuration.port = port
        configuration.eventLoopCount = 1
        let server = HTTPServer(configuration: configuration, handler: velkommen.metricsRouter { main.openConnections })
        do {
            let bound = try server.start()
            logger.info("metrics (Prometheus) on http://\(app.metricsHost):\(bound)/metrics")
        } catch {
            throw CommandFailure("cannot listen for metrics on \(app.metricsHost):\(port) (\(Setting.metricsPort.name))", error)
        }
        return server
    }

    /// Starts the simulator with the demo client registered for this server's callback, and points the
    /// app at it: the whole flow runs on one machine without credentials.
    func startSimulator(for app: inout AppConfiguration, logger: Logger) async throws -> VippsSimulator {
        var configuration: SimulatorConfiguration
        do {
            configuration = try simulatorConfigurationPath.map(SimulatorConfiguration.load(path:)) ?? SimulatorConfiguration()
        } catch {
            throw CommandFailure("cannot read --sim-config \(simulatorConfigurationPath ?? "")", error)
        }
        let callbacks = ["http://\(app.host):\(app.port)", "http://127.0.0.1:\(app.port)", "http://localhost:\(app.port)", app.baseURL]
            .flatMap { [$0 + "/callback", $0 + "/admin/callback"] }
        configuration.clients[0].redirectURIs = Array(Set(callbacks)).sorted()
        let simulator: VippsSimulator
        do {
            simulator = try await VippsSimulator(configuration: configuration, host: "127.0.0.1", port: simulatorPort)
            try await simulator.start()
        } catch {
            throw CommandFailure("cannot start the Vipps simulator on port \(simulatorPort) (use --sim-port or --no-simulator)", error)
        }
        let client = configuration.clients[0]
        app.vipps = VippsLoginConfiguration(issuer: URL(string: simulator.issuer)!, clientID: client.id, clientSecret: client.secret)
        // The simulator plays the QR API too, so scanned MobilePay codes work in the demo.
        app.qrExchange = PersonalQRExchange.Configuration(
            baseURL: URL(string: simulator.qrAPIURL)!, clientID: client.id, clientSecret: client.secret,
            subscriptionKey: configuration.subscriptionKey)
        app.demoTill = true
        logger.info("No VIPPS_CLIENT_ID: using the Vipps Login simulator at \(simulator.baseURL)/")
        return simulator
    }
}
