import Foundation
import Testing
@testable import ResponseCore

@Suite("Login throttle: back-off, then a lock")
struct LoginThrottleTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let rule = LoginThrottle(freeFailures: 3, baseDelay: 2, maxDelay: 10, lockAfter: 6, lockDuration: 600, forgetAfter: 3600)

    /// The record after `n` failures one second apart, from t0.
    func failures(_ n: Int) -> LoginThrottle.Record? {
        var record: LoginThrottle.Record? = nil
        for i in 0..<n { record = rule.failed(record, now: t0.addingTimeInterval(Double(i))) }
        return record
    }

    @Test func freeFailuresWaitNothing() {
        #expect(rule.wait(nil, now: t0) == nil)
        #expect(rule.wait(failures(1), now: t0.addingTimeInterval(1)) == nil)
        #expect(rule.wait(failures(2), now: t0.addingTimeInterval(2)) == nil)
    }

    @Test func waitsDoubleUpToTheCap() {
        // The 3rd failure (at t0+2) asks 2 s, the 4th (t0+3) 4 s, the 5th (t0+4) 8 s.
        #expect(rule.wait(failures(3), now: t0.addingTimeInterval(2)) == 2)
        #expect(rule.wait(failures(3), now: t0.addingTimeInterval(3.5)) == 1)
        #expect(rule.wait(failures(3), now: t0.addingTimeInterval(4)) == nil)
        #expect(rule.wait(failures(4), now: t0.addingTimeInterval(3)) == 4)
        #expect(rule.wait(failures(5), now: t0.addingTimeInterval(4)) == 8)
        var capped = rule
        capped.lockAfter = 100
        var record: LoginThrottle.Record? = nil
        for _ in 0..<20 { record = capped.failed(record, now: t0) }
        #expect(capped.wait(record, now: t0) == 10)
    }

    @Test func theLockHoldsForItsDurationAndANewFailureRelocks() throws {
        let locked = try #require(failures(6))
        #expect(locked.lockedUntil == t0.addingTimeInterval(5 + 600))
        #expect(rule.isLocked(locked, now: t0.addingTimeInterval(300)))
        #expect(rule.wait(locked, now: t0.addingTimeInterval(5)) == 600)
        let after = t0.addingTimeInterval(5 + 600)
        #expect(!rule.isLocked(locked, now: after))
        #expect(rule.wait(locked, now: after.addingTimeInterval(20)) == nil)
        let again = rule.failed(locked, now: after.addingTimeInterval(20))
        #expect(again.failures == 7 && rule.isLocked(again, now: after.addingTimeInterval(21)))
    }

    @Test func aQuietHourEndsTheStreak() {
        let later = t0.addingTimeInterval(4 + 3600)
        #expect(rule.wait(failures(5), now: later) == nil)
        #expect(rule.failed(failures(5), now: later).failures == 1)
    }

    @Test func settingsAreValidated() {
        #expect(LoginThrottle.user.validationErrors("u").isEmpty && LoginThrottle.address.validationErrors("a").isEmpty)
        #expect(!LoginThrottle(freeFailures: 5, lockAfter: 5).validationErrors("u").isEmpty)
        #expect(!LoginThrottle(freeFailures: 0, lockAfter: 5).validationErrors("u").isEmpty)
    }
}
