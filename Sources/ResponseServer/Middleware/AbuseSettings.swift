import Foundation
import NIOCore
import ResponseCore

/// Guards against abuse (docs/operations.md#abuse): who is believed about a client's address,
/// how failed logins slow down and lock, and how much password checking may run at once.
public struct AbuseSettings: Sendable, Equatable {
    /// Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` names the client.
    public var trustedProxies = TrustedProxies()
    public var loginByUser = LoginThrottle.user
    public var loginByAddress = LoginThrottle.address
    /// Password checks (bcrypt, ~50 ms of a core each) that run at once; more wait their turn.
    public var concurrentPasswordChecks = max(1, System.coreCount)
    /// Password checks that may wait for a turn; beyond them a login is refused with 429.
    public var queuedPasswordChecks = 64
    /// Logins from one address being checked at once; more are refused with 429.
    public var loginsInFlightPerAddress = 2
    /// Requests a minute one signed-in user or API key may make to `/api/v1` and the pages, and
    /// how many at once (a token bucket).
    public var requestsPerMinute = 6_000
    public var requestBurst = 1_000
    /// Requests a minute one client address may make without signing in (the portal, open data,
    /// knowledge search, tracking), and how many at once.
    public var anonymousRequestsPerMinute = 300
    public var anonymousBurst = 60
    /// Server instances sharing the load: each holds 1/N of the request rates above in memory.
    public var instances = 1

    public init() {}

    public func validationErrors() -> [String] {
        var errors = loginByUser.validationErrors("abuse.loginByUser") + loginByAddress.validationErrors("abuse.loginByAddress")
        if [requestsPerMinute, requestBurst, anonymousRequestsPerMinute, anonymousBurst, instances].contains(where: { $0 < 1 }) {
            errors.append("abuse: request rates, bursts and instances must be at least 1")
        }
        if concurrentPasswordChecks < 1 || queuedPasswordChecks < 0 || loginsInFlightPerAddress < 1 {
            errors.append("abuse: concurrentPasswordChecks and loginsInFlightPerAddress must be at least 1, queuedPasswordChecks at least 0")
        }
        return errors
    }
}
