import ArgumentParser
import Foundation
import ResponseCore
import ResponseServer

/// The `abuse` section of the config file (docs/operations.md#abuse); every key optional.
struct AbuseFile: Decodable {
    /// Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed.
    var trustedProxies: [String]?
    var loginByUser: ThrottleFile?
    var loginByAddress: ThrottleFile?
    var concurrentPasswordChecks: Int?
    var queuedPasswordChecks: Int?
    var loginsInFlightPerAddress: Int?
    var requestsPerMinute: Int?
    var requestBurst: Int?
    var anonymousRequestsPerMinute: Int?
    var anonymousBurst: Int?
    /// Server instances behind the load balancer: each keeps 1/N of the request rates.
    var instances: Int?
    /// Seconds from a connection's opening (or its last answer) to the whole head of a request.
    var headTimeoutSeconds: Double?
    /// Seconds from a request's head to the end of its body.
    var bodyTimeoutSeconds: Double?
    /// Open connections at once.
    var maxConnections: Int?

    /// One login throttle; unset keys keep the default.
    struct ThrottleFile: Decodable {
        var freeFailures: Int?
        var baseDelaySeconds: Double?
        var maxDelaySeconds: Double?
        var lockAfter: Int?
        var lockMinutes: Double?
        var forgetMinutes: Double?

        func apply(to rule: inout LoginThrottle) {
            if let freeFailures { rule.freeFailures = freeFailures }
            if let baseDelaySeconds { rule.baseDelay = baseDelaySeconds }
            if let maxDelaySeconds { rule.maxDelay = maxDelaySeconds }
            if let lockAfter { rule.lockAfter = lockAfter }
            if let lockMinutes { rule.lockDuration = lockMinutes * 60 }
            if let forgetMinutes { rule.forgetAfter = forgetMinutes * 60 }
        }
    }

    /// Applies the section, then the proxies of the environment (`SWIFT_RESPONSE_TRUSTED_PROXIES`,
    /// comma-separated), which win.
    static func apply(_ file: AbuseFile?, env: (String) -> String?, to settings: inout AbuseSettings, limits: inout ConnectionLimits) throws {
        var proxies = file?.trustedProxies ?? []
        if let list = env("SWIFT_RESPONSE_TRUSTED_PROXIES") {
            proxies = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        do { settings.trustedProxies = try TrustedProxies(proxies) } catch { throw ValidationError("abuse.trustedProxies: \(error)") }
        if let file {
            file.loginByUser?.apply(to: &settings.loginByUser)
            file.loginByAddress?.apply(to: &settings.loginByAddress)
            if let n = file.concurrentPasswordChecks { settings.concurrentPasswordChecks = n }
            if let n = file.queuedPasswordChecks { settings.queuedPasswordChecks = n }
            if let n = file.loginsInFlightPerAddress { settings.loginsInFlightPerAddress = n }
            if let n = file.requestsPerMinute { settings.requestsPerMinute = n }
            if let n = file.requestBurst { settings.requestBurst = n }
            if let n = file.anonymousRequestsPerMinute { settings.anonymousRequestsPerMinute = n }
            if let n = file.anonymousBurst { settings.anonymousBurst = n }
            if let n = file.instances { settings.instances = n }
            for (value, name) in [(file.headTimeoutSeconds, "headTimeoutSeconds"), (file.bodyTimeoutSeconds, "bodyTimeoutSeconds")] {
                if let value, value <= 0 { throw ValidationError("abuse.\(name) must be positive") }
            }
            if let s = file.headTimeoutSeconds { limits.headTimeout = .milliseconds(Int64(s * 1000)) }
            if let s = file.bodyTimeoutSeconds { limits.bodyTimeout = .milliseconds(Int64(s * 1000)) }
            if let n = file.maxConnections {
                guard n >= 1 else { throw ValidationError("abuse.maxConnections must be at least 1") }
                limits.maxConnections = n
            }
        }
        let problems = settings.validationErrors()
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
    }
}
