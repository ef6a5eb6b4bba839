import ArgumentParser
import Foundation
import HTTPServer
import VippsSimulator

/// `velkommen simulator`: the Vipps Login simulator alone, for trying the flow or testing other clients.
struct Simulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Vipps Login simulator alone.")

    @Option(help: "Port to listen on.")
    var port = 8081

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .customLong("config"), help: "JSON file with the merchant, clients, consents and users (defaults otherwise).")
    var configurationPath: String?

    func run() async throws {
        let configuration: SimulatorConfiguration
        do {
            configuration = try configurationPath.map(SimulatorConfiguration.load(path:)) ?? SimulatorConfiguration()
        } catch {
            throw CommandFailure("cannot read --config \(configurationPath ?? "")", error)
        }
        let simulator = try await VippsSimulator(configuration: configuration, host: host, port: port)
        let bound: Int
        do {
            bound = try await simulator.start()
        } catch {
            throw CommandFailure("cannot start the simulator", error)
        }
        print("Vipps Login simulator on http://\(host):\(bound)/ (issuer \(simulator.issuer))")
        let stopped = AsyncStream<Void>.makeStream()
        let signals = ShutdownSignals { _ in stopped.continuation.finish() }
        for await _ in stopped.stream {}
        await simulator.shutdown()
        withExtendedLifetime(signals) {}
    }
}
