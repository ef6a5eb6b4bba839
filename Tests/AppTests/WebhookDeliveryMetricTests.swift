import Testing

@testable import App

/// The counter that deploy/prometheus/velkommen-alerts.yml's webhook alerts read.
@Suite("Webhook delivery metric")
struct WebhookDeliveryMetricTests {
    @Test("deliveries are counted by endpoint id and outcome, never by URL")
    func countedByEndpointAndOutcome() {
        let metrics = AppMetrics()
        metrics.webhookDelivery(endpoint: 7, outcome: "failed")
        metrics.webhookDelivery(endpoint: 7, outcome: "failed")
        metrics.webhookDelivery(endpoint: 7, outcome: "delivered")
        metrics.webhookDelivery(endpoint: 8, outcome: "dropped")
        let text = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
        #expect(text.contains(#"velkommen_webhook_deliveries_total{endpoint="7",outcome="failed"} 2"#), "\(text)")
        #expect(text.contains(#"velkommen_webhook_deliveries_total{endpoint="7",outcome="delivered"} 1"#), "\(text)")
        #expect(text.contains(#"velkommen_webhook_deliveries_total{endpoint="8",outcome="dropped"} 1"#), "\(text)")
    }
}
