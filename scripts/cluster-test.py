#!/usr/bin/env python3
"""The cluster, on one machine: a PostgreSQL primary with a synchronous streaming standby, three
swift-response instances and nginx in front of them, all on loopback. Idempotent, retrying
clients file tickets through nginx while the script

  (a) kills one instance with kill -9 and restarts it, then
  (b) kills the primary with kill -9, promotes the standby and points the instances' database
      address (an nginx stream proxy, as a virtual IP or pgbouncer would be) at it,

and then checks, on the promoted database: acknowledged tickets lost, tickets filed twice,
sweeper steps applied twice, notifications delivered twice (as the webhook receiver saw them,
and after deduplication by their Idempotency-Key), live streams that resumed on every instance,
and the intake rate through nginx before, during and after each fault.

    scripts/cluster-test.py --binary .build/release/swift-response [--phase 20] [--clients 8]
    scripts/cluster-test.py --keep      # leaves the cluster running afterwards, as a demo

Needs PostgreSQL's server binaries and nginx with its stream module (Debian: postgresql, nginx,
libnginx-mod-stream; scripts/cluster-test.sh installs them). Exits 1 when a goal is missed.
Everything it starts is stopped by PID at the end.
"""
import argparse, collections, glob, http.client, http.server, json, os, pwd, shutil, signal, socket
import subprocess, sys, tempfile, threading, time, urllib.error, urllib.request, uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "cluster-demo-password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Postgres:
    """A PostgreSQL server of Debian's, run as the postgres user when the script is root."""

    def __init__(self, root, name, port):
        self.dir, self.port, self.name = os.path.join(root, name), port, name
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))[-1]
        self.user = "postgres" if os.geteuid() == 0 else None

    def run(self, *argv, check=True):
        cmd = [os.path.join(self.bin, argv[0]), *argv[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True)

    def start(self, *options):
        opts = f"-p {self.port} -k {os.path.dirname(self.dir)} -c listen_addresses=127.0.0.1 -c max_connections=200 " + " ".join(options)
        self.run("pg_ctl", "-D", self.dir, "-l", self.dir + ".log", "-w", "-t", "60", "-o", opts, "start")

    @property
    def pid(self):
        with open(os.path.join(self.dir, "postmaster.pid")) as f:
            return int(f.readline())

    def sql(self, query, port=None):
        out = self.run("psql", "-h", "127.0.0.1", "-p", str(port or self.port), "-U", "postgres", "-d", "hotline", "-At", "-F", "\t", "-c", query)
        return [line.split("\t") for line in out.stdout.splitlines() if line]


class Cluster:
    def __init__(self, args):
        self.args = args
        self.root = tempfile.mkdtemp(prefix="sr-cluster-")
        os.chmod(self.root, 0o755)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self.primary = Postgres(self.root, "primary", free_port())
        self.standby = Postgres(self.root, "standby", free_port())
        self.db_port, self.http_port, self.hook_port = free_port(), free_port(), free_port()
        self.ports = [free_port() for _ in range(3)]
        self.instances = [None, None, None]
        self.restarts = []  # (instance, exit code, time): what the supervisor restarted
        self.supervising = threading.Event()
        self.nginx_pid = None
        self.url = f"postgres://postgres@127.0.0.1:{self.db_port}/hotline?sslmode=disable"
        self.env = dict(os.environ, SWIFT_RESPONSE_CONFIG=os.path.join(self.root, "config.json"),
                        SWIFT_RESPONSE_CONTACT_KEYS_FILE=os.path.join(self.root, "contact.keys"))

    # -- PostgreSQL --------------------------------------------------------------------------
    def start_databases(self):
        p = self.primary
        p.run("initdb", "-D", p.dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
        p.start("-c wal_level=replica -c max_wal_senders=5")
        p.run("createdb", "-h", "127.0.0.1", "-p", str(p.port), "-U", "postgres", "hotline")
        s = self.standby
        p.run("pg_basebackup", "-d", f"host=127.0.0.1 port={p.port} user=postgres application_name=standby", "-D", s.dir, "-R", "-X", "stream")
        s.start("-c hot_standby=on")
        # Synchronous replication: a commit returns once the standby has flushed it, so a
        # failover loses no acknowledged ticket. Set after the copy, so that the standby does
        # not wait for a standby of its own once promoted.
        p.sql("ALTER SYSTEM SET synchronous_standby_names = 'standby'")
        p.sql("SELECT pg_reload_conf()")
        for _ in range(100):
            rows = p.sql("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby'")
            if rows and rows[0][0] == "sync":
                break
            time.sleep(0.2)
        else:
            raise SystemExit("the standby never became synchronous")
        log(f"PostgreSQL primary :{p.port}, synchronous standby :{s.port}")

    # -- nginx -------------------------------------------------------------------------------
    def write_nginx(self, db_port):
        modules = "/usr/lib/nginx/modules/ngx_stream_module.so"
        load = f"load_module {modules};" if os.path.exists(modules) else ""
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in self.ports)
        conf = f"""{load}
worker_processes 1;
pid {self.root}/nginx.pid;
error_log {self.root}/nginx-error.log warn;
events {{ worker_connections 1024; }}
stream {{
    # The database's one address: what a virtual IP or pgbouncer is in a real deployment.
    server {{ listen 127.0.0.1:{self.db_port}; proxy_pass 127.0.0.1:{db_port}; proxy_connect_timeout 1s; }}
}}
http {{
    access_log off;
    client_body_temp_path {self.root}/nginx-body;
    proxy_temp_path {self.root}/nginx-proxy;
    upstream swift_response {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{self.http_port};
        location / {{ include {REPO}/deploy/nginx/swift-response-proxy.conf; }}
    }}
}}
"""
        with open(os.path.join(self.root, "nginx.conf"), "w") as f:
            f.write(conf)

    def start_nginx(self):
        self.write_nginx(self.primary.port)
        subprocess.run(["nginx", "-p", self.root, "-c", os.path.join(self.root, "nginx.conf")], check=True)
        for _ in range(50):
            if os.path.exists(os.path.join(self.root, "nginx.pid")):
                break
            time.sleep(0.1)
        with open(os.path.join(self.root, "nginx.pid")) as f:
            self.nginx_pid = int(f.read())
        log(f"nginx :{self.http_port} → instances {self.ports}; database address :{self.db_port} → :{self.primary.port}")

    def point_database_at(self, port):
        self.write_nginx(port)
        subprocess.run(["nginx", "-p", self.root, "-c", os.path.join(self.root, "nginx.conf"), "-s", "reload"], check=True)

    # -- swift-response ----------------------------------------------------------------------
    def write_config(self, sweep):
        config = {
            "database": self.url,
            "city": {"id": "demo", "name": "示范市 (demo)", "timeZone": "Asia/Shanghai"},
            "sweepSeconds": sweep,
            "notifications": {"notifier": "webhook", "webhookURL": f"http://127.0.0.1:{self.hook_port}/hook", "relayInterval": 1},
            "webhookSecret": "cluster-test-webhook-secret",
            "linkSecret": "cluster-test-link-secret",
            "abuse": {"trustedProxies": ["127.0.0.1"], "instances": 3, "requestsPerMinute": 10_000_000, "requestBurst": 1_000_000,
                      "anonymousRequestsPerMinute": 10_000_000, "anonymousBurst": 1_000_000},
        }
        with open(self.env["SWIFT_RESPONSE_CONFIG"], "w") as f:
            json.dump(config, f)

    def start_instance(self, i):
        logfile = open(os.path.join(self.root, f"instance-{i + 1}.log"), "a")
        self.instances[i] = subprocess.Popen(
            [self.args.binary, "serve", "--demo", "--demo-password", PASSWORD, "--port", str(self.ports[i])],
            env=self.env, stdout=logfile, stderr=subprocess.STDOUT, cwd=self.root)

    def supervise(self):
        """As systemd's Restart=always would: an instance that exits is started again 2 s later."""
        while self.supervising.is_set():
            for i, p in enumerate(self.instances):
                if p is not None and p.poll() is not None:
                    code = p.returncode
                    self.restarts.append((i + 1, code, time.time()))
                    log(f"instance {i + 1} exited ({code}); the supervisor starts it again")
                    time.sleep(2)
                    self.start_instance(i)
            time.sleep(0.5)

    def restart(self, i):
        """What an operator's `systemctl restart` does: SIGTERM, SIGKILL after 10 s, start."""
        p, self.instances[i] = self.instances[i], None  # not the supervisor's to restart
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        self.start_instance(i)

    def wait_filing(self, i, timeout=180):
        """Until instance i files a ticket itself (its database answers and its writes go through)."""
        deadline = time.time() + timeout
        body = json.dumps({"kind": "consultation", "channel": "app", "title": "probe", "description": "cluster-probe"}).encode()
        while time.time() < deadline:
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{self.ports[i]}/api/v1/tickets", data=body, method="POST",
                                             headers={"Content-Type": "application/json", "X-API-Key": self.key})
                with urllib.request.urlopen(req, timeout=3) as r:
                    if r.status in (200, 201):
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"instance {i + 1} filed nothing for {timeout} s")

    def wait_ready(self, i, timeout=180, trained=False):
        """Until the instance's database answers (and, with `trained`, its dispatcher has trained)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.ports[i]}/health/ready", timeout=2) as r:
                    with open(os.path.join(self.root, f"instance-{i + 1}.log")) as f:
                        if r.status == 200 and (not trained or "Dispatcher ready" in f.read()):
                            return
            except OSError:
                pass
            if self.instances[i].poll() is not None:
                raise SystemExit(f"instance {i + 1} exited: see {self.root}/instance-{i + 1}.log")
            time.sleep(0.3)
        raise SystemExit(f"instance {i + 1} not ready after {timeout} s")

    def probe_readiness(self):
        """Every instance's /health/ready, asked at once: its status and how long it took to answer."""
        answers = {}

        def probe(i):
            began = time.time()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.ports[i]}/health/ready", timeout=15) as r:
                    status = r.status
            except urllib.error.HTTPError as e:
                status = e.code
            except OSError as e:
                status = f"no answer ({e})"
            answers[f"instance {i + 1}"] = {"status": status, "seconds": round(time.time() - began, 1)}

        threads = [threading.Thread(target=probe, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return dict(sorted(answers.items()))

    def set_up(self):
        subprocess.run([self.args.binary, "keys", "generate", "--file", self.env["SWIFT_RESPONSE_CONTACT_KEYS_FILE"]], check=True, capture_output=True)
        self.start_databases()
        self.start_nginx()
        # The demo city is loaded once, with the sweeper off, so that the three instances find
        # its overdue steps together and race for them.
        self.write_config(sweep=0)
        self.start_instance(0)
        self.wait_ready(0)
        self.instances[0].send_signal(signal.SIGTERM)
        self.instances[0].wait(60)
        out = subprocess.run([self.args.binary, "apikey", "create", "--name", "cluster-load", "--tenant", "demo"], env=self.env,
                             check=True, capture_output=True, text=True).stdout
        self.key = out.strip().splitlines()[-1].strip()
        self.write_config(sweep=1)
        for i in range(3):
            self.start_instance(i)
        for i in range(3):
            self.wait_ready(i, trained=True)
        self.supervising.set()
        threading.Thread(target=self.supervise, daemon=True).start()
        log(f"three instances ready on {self.ports}; the demo city loaded once; the sweepers start together")

    def tear_down(self):
        self.supervising.clear()
        time.sleep(1)
        for p in self.instances:
            if p and p.poll() is None:
                p.kill()
                p.wait()
        if self.nginx_pid:
            try:
                os.kill(self.nginx_pid, signal.SIGQUIT)
            except ProcessLookupError:
                pass
        for pg in (self.primary, self.standby):
            pg.run("pg_ctl", "-D", pg.dir, "-m", "immediate", "stop", check=False)
        if self.args.out:
            os.makedirs(self.args.out, exist_ok=True)
            for name in glob.glob(os.path.join(self.root, "*.log")):
                shutil.copy(name, self.args.out)
        if not self.args.keep:
            shutil.rmtree(self.root, ignore_errors=True)


class Receiver(http.server.ThreadingHTTPServer):
    """The complainants' gateway: records every delivery's Idempotency-Key."""

    def __init__(self, port):
        self.keys = collections.Counter()
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.keys[self.headers.get("Idempotency-Key", "")] += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        super().__init__(("127.0.0.1", port), Handler)


class Load:
    """Clients filing tickets through nginx, each retrying with its Idempotency-Key until answered."""

    def __init__(self, cluster, clients):
        self.cluster, self.clients = cluster, clients
        self.acked = {}  # key → (number, time acknowledged)
        self.replayed = 0
        self.retries = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def file(self, key, conn_box):
        body = json.dumps({"kind": "complaint", "channel": "app", "title": "路灯不亮 cluster", "description": f"cluster-test {key}",
                           "location": {"latitude": 39.91, "longitude": 116.45},
                           "complainant": {"name": "测试", "phone": "13800000000"}}).encode()
        headers = {"Content-Type": "application/json", "X-API-Key": self.cluster.key, "Idempotency-Key": key}
        give_up = None
        while True:
            try:
                if conn_box[0] is None:
                    conn_box[0] = http.client.HTTPConnection("127.0.0.1", self.cluster.http_port, timeout=20)
                conn_box[0].request("POST", "/api/v1/tickets", body, headers)
                r = conn_box[0].getresponse()
                data = r.read()
                if r.status in (200, 201):
                    number = json.loads(data)["number"]
                    with self.lock:
                        self.acked[key] = (number, time.time())
                        self.replayed += r.getheader("Idempotent-Replayed") == "true"
                    return
                if r.status < 500 and r.status != 429:
                    raise SystemExit(f"a filing was refused: {r.status} {data[:300]!r}")
            except (OSError, http.client.HTTPException):
                conn_box[0] = None
            with self.lock:
                self.retries += 1
            give_up = give_up or time.time() + 120
            if time.time() > give_up:
                raise SystemExit(f"a filing was not answered within 120 s of its first failure (key {key})")
            time.sleep(0.2)

    def client(self):
        conn_box = [None]
        while not self.stop.is_set():
            self.file(str(uuid.uuid4()), conn_box)

    def start(self):
        self.threads = [threading.Thread(target=self.client, daemon=True) for _ in range(self.clients)]
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(150)


class Streams:
    """One console per instance, straight to its port, following /api/v1/stream and reconnecting."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.events = collections.defaultdict(list)  # instance → times of `event: ticket` or `reload`
        self.errors = collections.defaultdict(collections.Counter)  # instance → what broke its stream
        self.connects = collections.defaultdict(list)  # instance → times its stream (re)opened
        self.stop = threading.Event()

    def follow(self, i):
        port = self.cluster.ports[i]
        while not self.stop.is_set():
            try:
                login = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/auth/login", method="POST",
                                               data=json.dumps({"username": "supervisor", "password": PASSWORD}).encode(),
                                               headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(login, timeout=5) as r:
                    token = json.load(r)["token"]
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/api/v1/stream", headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"})
                r = conn.getresponse()
                if r.status != 200:
                    raise OSError(f"stream answered {r.status}")
                self.connects[i].append(time.time())
                while not self.stop.is_set():
                    line = r.readline()
                    if not line:
                        break
                    # One `reload` stands for a tick's burst of changes (LiveFeed.burst).
                    if b"event: ticket" in line or b"event: reload" in line:
                        self.events[i].append(time.time())
            except Exception as error:  # the follower must outlive whatever a restart does to it
                self.errors[i][type(error).__name__] += 1
                time.sleep(1)

    def start(self):
        for i in range(3):
            threading.Thread(target=self.follow, args=(i,), daemon=True).start()


def rate(acked, start, end):
    return sum(1 for _, t in acked.values() if start <= t < end) / max(end - start, 1e-9)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(REPO, ".build/release/swift-response"))
    ap.add_argument("--phase", type=float, default=20, help="seconds of steady load before, between and after the faults")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--keep", action="store_true", help="leave the cluster running (a demo); stop it with Ctrl-C")
    ap.add_argument("--out", help="keep the figures (figures.json) and every server's log in this folder")
    args = ap.parse_args()
    args.binary = os.path.abspath(args.binary)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    if not os.access(args.binary, os.X_OK):
        raise SystemExit(f"no swift-response binary at {args.binary} (build it, or pass --binary)")
    cluster = Cluster(args)
    # SIGTERM (a CI timeout, a kill) tears the cluster down as Ctrl-C and the end of a run do.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return run(cluster, args)
    finally:
        if args.keep:
            log(f"the cluster runs: http://127.0.0.1:{cluster.http_port}/console (supervisor / {PASSWORD}); Ctrl-C stops it")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
        cluster.tear_down()


def run(cluster, args):
    receiver = Receiver(cluster.hook_port)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    cluster.set_up()
    streams = Streams(cluster)
    streams.start()
    load = Load(cluster, args.clients)
    marks = {"start": time.time()}
    load.start()
    time.sleep(args.phase)

    # (a) An instance dies and comes back.
    marks["kill"] = time.time()
    cluster.instances[1].kill()
    log("instance 2 killed (kill -9)")
    time.sleep(1)
    cluster.wait_filing(1)
    marks["killed-back"] = time.time()
    log(f"instance 2 restarted and ready after {marks['killed-back'] - marks['kill']:.1f} s")
    time.sleep(args.phase)

    # (b) The primary dies; the standby is promoted and the database address moves to it.
    marks["failover"] = time.time()
    os.kill(cluster.primary.pid, signal.SIGKILL)
    log("PostgreSQL primary killed (kill -9)")
    marks["readiness"] = cluster.probe_readiness()
    log(f"readiness during the outage: {marks['readiness']}")
    cluster.standby.run("pg_ctl", "-D", cluster.standby.dir, "-w", "promote")
    cluster.point_database_at(cluster.standby.port)
    marks["promoted"] = time.time()
    log(f"standby promoted and the database address moved to it after {marks['promoted'] - marks['failover']:.1f} s")
    # The runbook's last step (docs/operations.md#failover): restart the instances one by one,
    # so that no query caught by the failover is left waiting on a connection that is gone.
    for i in range(3):
        cluster.restart(i)
        cluster.wait_filing(i)
        log(f"instance {i + 1} restarted and filing")
    marks["failed-over"] = time.time()
    log(f"every instance files again {marks['failed-over'] - marks['failover']:.1f} s after the primary died")
    time.sleep(args.phase)
    marks["end"] = time.time()
    load.finish()
    time.sleep(4)  # the relay's last deliveries
    streams.stop.set()
    return verify(cluster, load, receiver, streams, marks, args)


def verify(cluster, load, receiver, streams, marks, args):
    db = cluster.standby
    stored = collections.Counter()
    numbers = {}
    for number, description in db.sql("SELECT number, description FROM tickets WHERE description LIKE 'cluster-test %'"):
        key = description.split(" ", 1)[1]
        stored[key] += 1
        numbers[key] = number
    lost = [k for k, (number, _) in load.acked.items() if numbers.get(k) != number]
    twice = [k for k, n in stored.items() if n > 1]
    sweeps = db.sql("SELECT COUNT(*) FROM events WHERE actor_role = 'system' AND type IN ('overdue', 'escalated', 'summons_overdue', 'urged')")[0][0]
    swept_twice = db.sql("""SELECT COUNT(*) FROM (SELECT ticket_id, type, payload FROM events WHERE actor_role = 'system'
                            AND type IN ('overdue', 'escalated', 'summons_overdue', 'urged') GROUP BY ticket_id, type, payload HAVING COUNT(*) > 1) d""")[0][0]
    delivered = sum(receiver.keys.values())
    delivered_twice = sum(1 for n in receiver.keys.values() if n > 1)
    phases = [("before the faults", marks["start"], marks["kill"]), ("instance down and restarting", marks["kill"], marks["killed-back"]),
              ("after the restart", marks["killed-back"], marks["failover"]), ("failover", marks["failover"], marks["failed-over"]),
              ("after the failover", marks["failed-over"], marks["end"])]
    resumed = {f"instance {i + 1}": {"after restart": any(t > marks["killed-back"] for t in streams.events[i]),
                                      "after failover": any(t > marks["failed-over"] for t in streams.events[i])} for i in range(3)}
    figures = {
        "acknowledged": len(load.acked), "lost": len(lost), "filedTwice": len(twice), "replayedAnswers": load.replayed, "retries": load.retries,
        "sweeperSteps": int(sweeps), "sweeperStepsTwice": int(swept_twice),
        "notificationsDelivered": delivered, "notificationsDeliveredTwice": delivered_twice, "notificationsAfterDeduplication": len(receiver.keys),
        "streamsResumed": resumed,
        "streamReconnects": {f"instance {i + 1}": {"opened": len(streams.connects[i]), "lastOpenedAfterStart": round(max(streams.connects[i], default=marks["start"]) - marks["start"], 1),
                                                    "lastEventAfterStart": round(max(streams.events[i], default=marks["start"]) - marks["start"], 1),
                                                    "errors": dict(streams.errors[i])} for i in range(3)},
        "intakePerSecond": {name: round(rate(load.acked, a, b), 1) for name, a, b in phases},
        "seconds": {"restart": round(marks["killed-back"] - marks["kill"], 1), "failover": round(marks["failed-over"] - marks["failover"], 1)},
        "readinessWithThePrimaryDown": marks["readiness"],
        "restartsBySupervisor": [{"instance": i, "exitCode": code, "secondsAfterStart": round(t - marks["start"], 1)} for i, code, t in cluster.restarts],
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.out:
        with open(os.path.join(args.out, "figures.json"), "w") as f:
            json.dump(figures, f, indent=2, ensure_ascii=False)
    goals = {"no acknowledged ticket lost": not lost, "no ticket filed twice": not twice, "no sweeper step applied twice": int(swept_twice) == 0,
             "every live stream resumed": all(all(r.values()) for r in resumed.values())}
    # Reported, not a goal yet: in one CI run an instance whose intake was waiting on the dead
    # primary did not answer HTTP at all for 15 s (docs/operations.md#failover, an open problem).
    ready = all(a["status"] == 503 and a["seconds"] <= 5 for a in marks["readiness"].values())
    print(("✔ " if ready else "⚠ ") + "readiness answered 503 within 5 s with the primary down: " + json.dumps(marks["readiness"], ensure_ascii=False))
    for goal, met in goals.items():
        print(("✔ " if met else "✘ ") + goal)
    print(f"notifications: {delivered} deliveries, {delivered_twice} delivered twice (the receiver keeps one per Idempotency-Key)")
    return 0 if all(goals.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
