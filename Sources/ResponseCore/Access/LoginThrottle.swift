import Foundation

/// How failed logins slow down, then lock, one user name or one address.
///
/// A key (a user name, whether or not such a user exists, or a client address) may fail
/// ``freeFailures`` times in a row; after that each try waits ``baseDelay``, doubling with every
/// failure up to ``maxDelay``; at ``lockAfter`` failures the key is locked for ``lockDuration``
/// (an admin can lift it). A success clears the user name's record; a quiet ``forgetAfter``
/// ends a streak. The rule is the same for names that exist and names that do not, so its waits
/// tell a guesser nothing.
public struct LoginThrottle: Codable, Sendable, Equatable {
    public var freeFailures: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    public var lockAfter: Int
    public var lockDuration: TimeInterval
    public var forgetAfter: TimeInterval

    public init(freeFailures: Int, baseDelay: TimeInterval = 1, maxDelay: TimeInterval = 60, lockAfter: Int,
                lockDuration: TimeInterval = 900, forgetAfter: TimeInterval = 3600) {
        self.freeFailures = freeFailures
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.lockAfter = lockAfter
        self.lockDuration = lockDuration
        self.forgetAfter = forgetAfter
    }

    /// One user name: 5 free failures, then 1, 2, 4… s, locked for 15 minutes at the 10th.
    public static let user = LoginThrottle(freeFailures: 5, lockAfter: 10)
    /// One address, which an office or a carrier's NAT may share: 20 free failures, waits of at
    /// most 30 s, locked for 15 minutes at the 100th.
    public static let address = LoginThrottle(freeFailures: 20, maxDelay: 30, lockAfter: 100)

    /// A key's streak of failures.
    public struct Record: Sendable, Equatable {
        public var failures: Int
        public var lastFailure: Date
        public var lockedUntil: Date?

        public init(failures: Int, lastFailure: Date, lockedUntil: Date? = nil) {
            self.failures = failures
            self.lastFailure = lastFailure
            self.lockedUntil = lockedUntil
        }
    }

    /// Whole seconds the key must wait before its next try, or `nil` when it may try now.
    public func wait(_ record: Record?, now: Date) -> Int? {
        guard let record else { return nil }
        if let until = record.lockedUntil, until > now { return Self.seconds(until.timeIntervalSince(now)) }
        guard now.timeIntervalSince(record.lastFailure) < forgetAfter, record.failures >= freeFailures else { return nil }
        let next = record.lastFailure.addingTimeInterval(delay(after: record.failures))
        return next > now ? Self.seconds(next.timeIntervalSince(now)) : nil
    }

    /// The record after one more failure at `now`.
    public func failed(_ record: Record?, now: Date) -> Record {
        let streak = record.flatMap { now.timeIntervalSince($0.lastFailure) < forgetAfter ? $0.failures : nil } ?? 0
        let failures = streak + 1
        var lockedUntil = record?.lockedUntil.flatMap { $0 > now ? $0 : nil }
        if failures >= lockAfter { lockedUntil = max(lockedUntil ?? now, now.addingTimeInterval(lockDuration)) }
        return Record(failures: failures, lastFailure: now, lockedUntil: lockedUntil)
    }

    /// Whether the record is a lock still in force.
    public func isLocked(_ record: Record?, now: Date) -> Bool {
        record?.lockedUntil.map { $0 > now } ?? false
    }

    /// The wait after the `failures`-th failure in a row.
    func delay(after failures: Int) -> TimeInterval {
        guard failures >= freeFailures else { return 0 }
        let doublings = min(failures - freeFailures, 30)
        return min(maxDelay, baseDelay * Double(1 << doublings))
    }

    /// Problems with the numbers, for the settings' validation.
    public func validationErrors(_ name: String) -> [String] {
        var errors: [String] = []
        if freeFailures < 1 { errors.append("\(name).freeFailures must be at least 1") }
        if lockAfter <= freeFailures { errors.append("\(name).lockAfter must be more than freeFailures") }
        if baseDelay <= 0 || maxDelay < baseDelay { errors.append("\(name): baseDelay must be positive and maxDelay at least baseDelay") }
        if lockDuration <= 0 || forgetAfter <= 0 { errors.append("\(name): lockDuration and forgetAfter must be positive") }
        return errors
    }

    static func seconds(_ interval: TimeInterval) -> Int { max(1, Int(interval.rounded(.up))) }
}
