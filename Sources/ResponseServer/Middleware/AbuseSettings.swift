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

    public init() {}

    public func validationErrors() -> [String] {
        var errors = loginByUser.validationErrors("abuse.loginByUser") + loginByAddress.validationErrors("abuse.loginByAddress")
        if concurrentPasswordChecks < 1 || queuedPasswordChecks < 0 || loginsInFlightPerAddress < 1 {
            errors.append("abuse: concurrentPasswordChecks and loginsInFlightPerAddress must be at least 1, queuedPasswordChecks at least 0")
        }
        return errors
    }
}
