import App
import ArgumentParser

/// `velkommen check`: validates the configuration, reaches Vipps (discovery, keys, credentials), and
/// checks the database and templates. One line per check; exit status 1 when any failed.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the configuration, Vipps, the database and the templates.")

    @OptionGroup var options: ServeOptions

    func run() async throws {
        let results = await ConfigurationCheck.run(settings: options.settings())
        for result in results { print(result.line) }
        if results.contains(where: { !$0.passed }) { throw ExitCode.failure }
    }
}
