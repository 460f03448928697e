import Foundation
import ResponseCore
import ResponseStore
import Synchronization

/// The door of every password login (the API's and the console's form): at most a few logins per
/// address in flight, the throttle of the user name and of the address (``LoginThrottle``, kept
/// in the database so every instance sees the same streaks), and a cap on password checks running
/// at once (``ConcurrencyGate``). Every refusal is a 429 with `Retry-After`, the same for a name
/// that exists and one that does not.
final class LoginGuard: Sendable {
    let settings: AbuseSettings
    let store: any GuardStore
    let gate: ConcurrencyGate
    private let inFlight = Mutex<[String: Int]>([:])

    init(settings: AbuseSettings, store: any GuardStore) {
        self.settings = settings
        self.store = store
        self.gate = ConcurrencyGate(limit: settings.concurrentPasswordChecks, queueLimit: settings.queuedPasswordChecks)
    }

    static func userKey(_ username: String) -> String { "user:" + username }

    /// Runs `check` (the password check and what follows) for `username` from `address`, or
    /// refuses with 429. `check` returns whether the password matched; a mismatch counts
    /// against both keys, a match clears the name's streak.
    func attempt<R: Sendable>(username: String, address: String, now: Date, _ check: () async throws -> (matched: Bool, result: R)) async throws -> R {
        try enter(address)
        defer { leave(address) }
        let keys = [Self.userKey(username), address]
        let records = try await store.loginRecords(keys: keys)
        let waits = [settings.loginByUser.wait(records[keys[0]], now: now), settings.loginByAddress.wait(records[keys[1]], now: now)].compactMap { $0 }
        if let wait = waits.max() {
            throw Problem.tooManyRequests("too many failed logins: try again in \(wait) s", retryAfter: wait)
        }
        let outcome: (matched: Bool, result: R)
        do {
            outcome = try await gate.run(check)
        } catch is ConcurrencyGate.Full {
            throw Problem.tooManyRequests("the server is busy checking passwords: try again in 1 s", retryAfter: 1)
        }
        if outcome.matched {
            if records[keys[0]] != nil { try await store.clearLoginRecord(key: keys[0]) }
        } else {
            try await store.recordLoginFailure([(keys[0], settings.loginByUser), (keys[1], settings.loginByAddress)], now: now)
        }
        return outcome.result
    }

    private func enter(_ address: String) throws {
        let admitted = inFlight.withLock { counts in
            guard counts[address, default: 0] < settings.loginsInFlightPerAddress else { return false }
            counts[address, default: 0] += 1
            return true
        }
        if !admitted { throw Problem.tooManyRequests("a login from this address is already being checked: try again in 1 s", retryAfter: 1) }
    }

    private func leave(_ address: String) {
        inFlight.withLock { counts in
            let left = counts[address, default: 1] - 1
            counts[address] = left > 0 ? left : nil
        }
    }
}
