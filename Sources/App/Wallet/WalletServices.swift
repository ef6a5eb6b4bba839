import Content
import Crypto
import Foundation
import Storage

/// The wallets the operator configured: Apple's passes and Google's links, each nil when off.
struct WalletServices: Sendable {
    var apple: AppleWalletPasses?
    var google: GoogleWalletLinks?
    var style: WalletStyle?

    /// Reads the style from `Templates/wallet/` and the pass-token key from the database, for the
    /// wallets that are configured.
    static func start(_ configuration: AppConfiguration, database: any DatabasePool, views: Views) async throws -> WalletServices {
        guard configuration.appleWallet != nil || configuration.googleWallet != nil else { return WalletServices() }
        let style = try WalletStyle.load(folder: configuration.templatesDirectory + "/wallet")
        var services = WalletServices(style: style)
        if let apple = configuration.appleWallet {
            // Never rotated: a pass in a phone keeps its token for as long as the pass lives.
            let generations = try await ServerSecretStore(pool: database).generations(of: "wallet-pass-token", orStore: Sealer.newKey())
            let key = generations.first?.value ?? Sealer.newKey()
            services.apple = AppleWalletPasses(
                configuration: apple, style: style, signer: PassSigner(configuration: apple), webServiceURL: configuration.baseURL + "/wallet",
                tokenKey: SymmetricKey(data: key), views: views)
        }
        if let google = configuration.googleWallet {
            services.google = try await GoogleWalletLinks.make(google, style: style, origin: configuration.baseURL)
        }
        return services
    }
}
