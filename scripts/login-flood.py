#!/usr/bin/env python3
"""A flood of wrong passwords against a running server, and how long a real login takes meanwhile.

    scripts/login-flood.py --url http://127.0.0.1:8080 --user agent --password PW [--flood 32] [--addresses 1]

The flood sends `--flood` wrong-password logins at once, over and over, for `--seconds`; with
`--addresses N` they carry N different X-Forwarded-For addresses (the server must trust 127.0.0.1
as a proxy: SWIFT_RESPONSE_TRUSTED_PROXIES=127.0.0.1). Meanwhile the real user logs in every half
second from an address of her own. Prints the flood's answers by status and the real logins'
latency (median, p90, max) and statuses. Standard library only.
"""
import argparse, json, statistics, threading, time, urllib.error, urllib.request
from collections import Counter


def login(url, user, password, address):
    body = json.dumps({"username": user, "password": password}).encode()
    req = urllib.request.Request(url + "/api/v1/auth/login", data=body, method="POST",
                                 headers={"Content-Type": "application/json", "X-Forwarded-For": address})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except Exception:
        status = "error"
    return status, time.monotonic() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="http://127.0.0.1:8080")
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--flood", type=int, default=32)
    p.add_argument("--addresses", type=int, default=1)
    p.add_argument("--seconds", type=float, default=10)
    a = p.parse_args()
    stop = time.monotonic() + a.seconds
    flood = Counter()
    lock = threading.Lock()

    def attacker(i):
        n = 0
        while time.monotonic() < stop:
            address = "203.0.113.%d" % (1 + (i % a.addresses) % 250)
            status, _ = login(a.url, "guess%d-%d" % (i, n), "wrong-password", address)
            n += 1
            with lock:
                flood[status] += 1

    threads = [threading.Thread(target=attacker, args=(i,)) for i in range(a.flood)]
    for t in threads:
        t.start()
    real = []
    while time.monotonic() < stop:
        real.append(login(a.url, a.user, a.password, "198.51.100.10"))
        time.sleep(0.5)
    for t in threads:
        t.join()
    times = sorted(t for _, t in real)
    print("flood: %d logins, %d in flight at once from %d address(es): %s" % (sum(flood.values()), a.flood, a.addresses, dict(flood)))
    print("real login: %d tries, statuses %s, latency median %.3f s, p90 %.3f s, max %.3f s" % (
        len(real), dict(Counter(s for s, _ in real)), statistics.median(times), times[int(len(times) * 0.9)], times[-1]))


if __name__ == "__main__":
    main()
