import Foundation
import Hummingbird
import ResponseCore

/// The request limits of the API and the pages: a token bucket per signed-in user or API key
/// (``AbuseSettings/requestsPerMinute``), and one per client address for requests without one
/// (``AbuseSettings/anonymousRequestsPerMinute``), so a key, a user or an address that floods the
/// server is answered 429 with `Retry-After` while the others are not. The buckets are each
/// instance's own: with ``AbuseSettings/instances`` N, each instance allows 1/N of the rate, so the
/// deployment as a whole allows what is configured (a load balancer spreads a client's requests).
struct RequestLimitMiddleware: RouterMiddleware {
    let signedIn: RateLimiter
    let anonymous: RateLimiter
    let clock: any WallClock

    init(settings: AbuseSettings, clock: any WallClock) {
        let share = max(1, settings.instances)
        signedIn = RateLimiter(perMinute: max(1, settings.requestsPerMinute / share), burst: max(1, settings.requestBurst / share))
        anonymous = RateLimiter(perMinute: max(1, settings.anonymousRequestsPerMinute / share), burst: max(1, settings.anonymousBurst / share))
        self.clock = clock
    }

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        let wait: Int?
        if let identity = context.identity {
            wait = signedIn.take(identity.tenantID + "/" + identity.name, now: clock.now())
        } else {
            wait = anonymous.take(context.addressKey, now: clock.now())
        }
        if let wait {
            throw Problem.tooManyRequests("too many requests: try again in \(wait) s", retryAfter: wait)
        }
        return try await next(request, context)
    }
}
