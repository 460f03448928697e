import ArgumentParser
import Foundation
import ServiceLifecycle
#if OpenTelemetry
import OTel
#endif

/// Traces over OTLP/HTTP (swift-otel), off by default and compiled only with the package trait
/// `OpenTelemetry` (`swift build --traits OpenTelemetry`): its exporter brings swift-protobuf and
/// async-http-client, several minutes of build every CI run would pay for nothing.
enum TraceExport {
    /// Whether this build can export traces.
    static var available: Bool {
        #if OpenTelemetry
        true
        #else
        false
        #endif
    }

    /// The tracer's background service (batching and export) for `endpoint`, after bootstrapping
    /// it as the process's tracer. Logs and metrics stay the server's own (`/metrics`, the log
    /// handler); only traces go to the collector.
    static func service(endpoint: String, serviceName: String = "swift-response") throws -> any Service {
        guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--traces-endpoint must be an http(s) URL such as http://127.0.0.1:4318, not '\(endpoint)'")
        }
        #if OpenTelemetry
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.exporter = .otlp
        // A collector's address without a path gets the traces path, as OTEL_EXPORTER_OTLP_ENDPOINT does.
        configuration.traces.otlpExporter.endpoint = ["", "/"].contains(url.path) ? endpoint.trimmingSuffix("/") + "/v1/traces" : endpoint
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        return try OTel.bootstrap(configuration: configuration)
        #else
        throw ValidationError("this build exports no traces: build with `swift build --traits OpenTelemetry` (docs/operations.md#traces)")
        #endif
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
