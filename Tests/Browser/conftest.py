"""Browser tests of the console and the portal: the real server (`swift-response serve --demo`
on a fresh SQLite file and a free loopback port) driven by headless Chromium through
chromedriver, both from Debian's packages. Screenshots go to $SR_BROWSER_OUT (default
.build-test-output/browser)."""
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "browser-test-pw"
OUT = Path(os.environ.get("SR_BROWSER_OUT", ROOT / ".build-test-output" / "browser"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    binary = Path(os.environ.get("SWIFT_RESPONSE_BIN", ROOT / ".build" / "debug" / "swift-response"))
    assert binary.exists(), f"build first: {binary} is missing"
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="sr-browser-")
    log = open(Path(workdir) / "serve.log", "w")
    env = dict(os.environ)
    proc = subprocess.Popen(
        [str(binary), "serve", "--demo", "--demo-password", PASSWORD, "--port", str(port), "--database", str(Path(workdir) / "demo.sqlite")],
        stdout=log, stderr=subprocess.STDOUT, cwd=str(ROOT), env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as r:
                if r.status == 200:
                    break
        except Exception:
            pass
        if proc.poll() is not None or time.time() > deadline:
            log.flush()
            raise RuntimeError("server did not start:\n" + (Path(workdir) / "serve.log").read_text()[-4000:])
        time.sleep(0.3)
    OUT.mkdir(parents=True, exist_ok=True)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


class Browser:
    """One person's browser: its own Chromium, cookies and language."""

    def __init__(self, base, language="en", width=1366, height=900):
        options = webdriver.ChromeOptions()
        for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}", f"--lang={language}"]:
            options.add_argument(arg)
        options.add_experimental_option("prefs", {"intl.accept_languages": language})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        binary = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
        if Path(binary).exists():
            options.binary_location = binary
        self.driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
        self.base = base

    def get(self, path, ready=True):
        self.driver.get(self.base + path)
        if ready:
            self.wait(lambda d: d.execute_script("return document.body && document.body.dataset.ready") in ("1", "error"), 20)
            state = self.driver.execute_script("return document.body.dataset.ready")
            assert state == "1", f"{path} failed to load: {self.toast()}"

    def wait(self, condition, timeout=15):
        # Live updates re-render lists while a test reads them: a stale element means "look again".
        return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(condition)

    def click(self, css, timeout=15):
        """Clicks `css` once it is there, again if a live update replaced it meanwhile."""
        self.wait(lambda d: d.find_element(By.CSS_SELECTOR, css).click() or True, timeout)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def visible(self, css, timeout=15):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), timeout)

    def toast(self):
        try:
            el = self.find("#toast")
            return el.text if el.is_displayed() else ""
        except Exception:
            return ""

    def login(self, user):
        self.get("/console/login", ready=False)
        self.find("#username").send_keys(user)
        self.find("#password").send_keys(PASSWORD)
        self.find("button[type=submit]").click()
        self.wait(lambda d: "/console/login" not in d.current_url)

    def shot(self, name):
        """A screenshot of the whole page, not just the window."""
        OUT.mkdir(parents=True, exist_ok=True)
        size = self.driver.get_window_size()
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(size["width"], min(max(height, size["height"]), 5000))
        self.driver.execute_script("window.scrollTo(0, 0)")
        self.driver.save_screenshot(str(OUT / f"{name}.png"))
        self.driver.set_window_size(size["width"], size["height"])

    def errors(self):
        """Script errors the page logged (network 404s of probes excluded)."""
        return [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]

    def quit(self):
        self.driver.quit()


@pytest.fixture
def browsers(server):
    opened = []

    def make(**kwargs):
        b = Browser(server, **kwargs)
        opened.append(b)
        return b

    yield make
    for b in opened:
        b.quit()


def api(base, method, path, token=None, body=None):
    """A direct API call, for checks the screens are not about."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def token(base, user):
    return api(base, "POST", "/api/v1/auth/login", body={"username": user, "password": PASSWORD})["token"]
