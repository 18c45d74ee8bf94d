"""Going online as docs/howto-go-online.md says, on loopback: `survey serve` started with the
ExecStart line of the guide's systemd unit (docs/go-online/survey.service), with Debian's Caddy
(the guide's Caddyfile) and nginx (the guide's site file) in front over HTTPS, each its own
instance with its own configuration, pid, log and certificate in a temporary folder.

Only what cannot work on loopback is changed in the guide's files, and every change is an exact
replacement of a string that must be in the file: the public name becomes `localhost`, ports
80, 443 and 8080 free loopback ports, and the certificate a local one (Caddy's own local CA,
`tls internal`, which the test trusts; for nginx one made with openssl). No network, no
certificate authority on the internet, nothing of the system's Caddy or nginx.

Through each proxy: a respondent fills in and submits the flagship form, a staff user logs in
and downloads it; every Location header and the resume link start with the public URL;
cookies are Secure and answers carry HSTS; the per-address throttle counts the client's
address, which the proxy passes in X-Forwarded-For, whatever the client claims; the survey
server listens on loopback only. The backup unit of the guide backs the store up and a scratch
project restores it.
"""

from __future__ import annotations

import array
import fcntl
import http.client
import json
import os
import re
import shlex
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from server_helpers import SURVEY, free_port, hidden, shown_ids
from support import copy_flagship

from survey.project import Project
from survey.server.form_fields import field_state

ROOT = Path(__file__).resolve().parents[2]
GO_ONLINE = ROOT / "docs" / "go-online"
SURVEY_COMMAND = Path(sys.executable).with_name("survey")
PASSWORD = "a long staff password"
START_SECONDS = 60

# What the guide's files say, and what the test puts in their place.
DOC_COMMAND = "/opt/survey/venv/bin/survey"
DOC_PROJECT = "/srv/survey"
DOC_NAME = "survey.example.org"
DOC_PUBLIC_URL = f"https://{DOC_NAME}"
DOC_UPSTREAM = "127.0.0.1:8080"


def rewritten(text: str, replacements: dict[str, str]) -> str:
    """`text` with each key replaced by its value; each key must be in it, so a change of the
    guide's files cannot make the test silently run something else."""
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in the guide's file: update this test"
        text = text.replace(old, new)
    return text


def unit_commands(unit: str, key: str, replacements: dict[str, str]) -> list[list[str]]:
    """The command lines of `key` (ExecStart, ExecStartPost) in a systemd unit of the guide."""
    text = (GO_ONLINE / unit).read_text("utf-8")
    lines = [line.split("=", 1)[1] for line in text.splitlines() if line.startswith(f"{key}=")]
    assert lines, f"no {key} in {unit}"
    return [shlex.split(rewritten(line, replacements)) for line in lines]


def unit_value(unit: str, key: str) -> str:
    text = (GO_ONLINE / unit).read_text("utf-8")
    found = re.search(rf"^{key}=(.*)$", text, re.M)
    assert found, f"no {key} in {unit}"
    return found.group(1)


def wait_for(check: Callable[[], object], what: str, log: Path | None = None,
             seconds: float = START_SECONDS) -> object:
    deadline = time.monotonic() + seconds
    while True:
        try:
            found = check()
        except OSError:
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            detail = log.read_text("utf-8", "replace")[-3000:] if log and log.exists() else ""
            raise AssertionError(f"{what} did not come up within {seconds} s\n{detail}")
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# ---------------------------------------------------------------------------- the survey server

@dataclass
class SurveyServer:
    project: Path
    port: int
    process: subprocess.Popen
    printed: list[str] = field(default_factory=list)


def make_project(folder: Path) -> Path:
    """A project with the flagship questionnaire and an admin user, as the guide sets it up."""
    (folder / "questionnaires").mkdir(parents=True)
    copy_flagship(folder / "questionnaires")
    done = subprocess.run([str(SURVEY_COMMAND), "users", "add", str(folder), "ana",
                           "--password-stdin"], input=PASSWORD + "\n", capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return folder




@contextmanager
def survey_server(project: Path, public_url: str) -> Iterator[SurveyServer]:
    """`survey serve` as the guide's unit starts it, on a free loopback port."""
    port = free_port()
    replacements = {DOC_COMMAND: str(SURVEY_COMMAND), DOC_PROJECT: str(project),
                    "--port 8080": f"--port {port}", DOC_PUBLIC_URL: public_url}
    (command,) = unit_commands("survey.service", "ExecStart", replacements)
    folder = rewritten(unit_value("survey.service", "WorkingDirectory"),
                       {DOC_PROJECT: str(project)})
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("SURVEY_PUBLIC_URL", None)
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    server = SurveyServer(project, port, process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            server.printed.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        def ready() -> bool:
            if process.poll() is not None:
                raise AssertionError("survey serve ended:\n" + "\n".join(server.printed))
            return any(line.strip().startswith("admin:") for line in server.printed)

        wait_for(ready, "survey serve")
        yield server
    finally:
        stop(process)
        reader.join(timeout=5)


# ---------------------------------------------------------------------------- the proxies

CADDY_GLOBAL = """{{
	admin off
	http_port {http_port}
	https_port {https_port}
	default_bind 127.0.0.1
	local_certs
	skip_install_trust
}}

"""
"""Loopback only, Caddy's own local CA (never installed into the system's trust store), no
admin endpoint; the guide's Caddyfile follows unchanged but for the name and the port."""

NGINX_MAIN = """{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {folder}/temp/body;
    proxy_temp_path {folder}/temp/proxy;
    fastcgi_temp_path {folder}/temp/fastcgi;
    uwsgi_temp_path {folder}/temp/uwsgi;
    scgi_temp_path {folder}/temp/scgi;
    include {folder}/survey.conf;
}}
"""
"""What Debian's /etc/nginx/nginx.conf gives the site file, with everything in the test's
folder; the guide's site file is included as it is in sites-enabled/."""


def proxy_binary(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()),
        None)
    if found is None:
        message = f"{name} is not installed (Debian package {name}; make test installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def answers_over_tls(port: int, context: ssl.SSLContext) -> bool:
    connection = http.client.HTTPSConnection("localhost", port, context=context, timeout=5)
    try:
        connection.request("GET", "/favicon.ico")
        return connection.getresponse().status > 0
    finally:
        connection.close()


@contextmanager
def caddy(folder: Path, https_port: int, http_port: int, upstream: int
          ) -> Iterator[ssl.SSLContext]:
    text = rewritten((GO_ONLINE / "Caddyfile").read_text("utf-8"), {
        f"{DOC_NAME} {{": "https://localhost {", DOC_UPSTREAM: f"127.0.0.1:{upstream}"})
    config = folder / "Caddyfile"
    config.write_text(CADDY_GLOBAL.format(http_port=http_port, https_port=https_port) + text,
                      "utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(folder),
           "XDG_DATA_HOME": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "config")}
    log = folder / "caddy.log"
    with log.open("w") as out:
        process = subprocess.Popen([proxy_binary("caddy"), "run", "--config", str(config),
                                    "--adapter", "caddyfile"], env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        root = folder / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        wait_for(lambda: process.poll() is None and root.exists(), "Caddy's local CA", log)
        context = ssl.create_default_context(cafile=str(root))
        wait_for(lambda: process.poll() is None and answers_over_tls(https_port, context),
                 "Caddy", log)
        yield context
    finally:
        stop(process)


def make_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a certificate for localhost signed by it (openssl): the CA, the chain, the key."""
    def openssl(*arguments: str) -> None:
        done = subprocess.run(["openssl", *arguments], cwd=folder, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "2", "-subj", "/CN=survey test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "localhost.key", "-out",
            "localhost.csr", "-subj", "/CN=localhost")
    (folder / "localhost.ext").write_text(
        "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "localhost.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "localhost.pem", "-days", "2",
            "-extfile", "localhost.ext")
    chain = folder / "fullchain.pem"
    chain.write_text((folder / "localhost.pem").read_text() + (folder / "ca.pem").read_text())
    return folder / "ca.pem", chain, folder / "localhost.key"


@contextmanager
def nginx(folder: Path, https_port: int, http_port: int, upstream: int, webroot: Path
          ) -> Iterator[ssl.SSLContext]:
    binary = proxy_binary("nginx")
    if shutil.which("openssl") is None:
        pytest.fail("openssl is not installed (Debian package openssl; make test installs it)")
    ca, chain, key = make_certificate(folder)
    site = rewritten((GO_ONLINE / "nginx-survey.conf").read_text("utf-8"), {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "# no IPv6 in the test",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "# no IPv6 in the test",
        f"/etc/letsencrypt/live/{DOC_NAME}/fullchain.pem": str(chain),
        f"/etc/letsencrypt/live/{DOC_NAME}/privkey.pem": str(key),
        "root /var/www/html;": f"root {webroot};",
        DOC_UPSTREAM: f"127.0.0.1:{upstream}"})
    (folder / "survey.conf").write_text(site, "utf-8")
    (folder / "temp").mkdir()
    config = folder / "nginx.conf"
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers read the test's folder
    config.write_text(NGINX_MAIN.format(user=user, folder=folder), "utf-8")
    log = folder / "error.log"
    with (folder / "nginx.out").open("w") as out:
        process = subprocess.Popen([binary, "-p", str(folder), "-e", str(log), "-c",
                                    str(config), "-g", "daemon off;"], stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        context = ssl.create_default_context(cafile=str(ca))
        wait_for(lambda: process.poll() is None and answers_over_tls(https_port, context),
                 "nginx", log)
        yield context
    finally:
        stop(process)


@dataclass
class Site:
    """The survey server with a proxy in front: public_url is the proxy's HTTPS address."""

    proxy: str
    public_url: str
    http_port: int
    server: SurveyServer
    context: ssl.SSLContext
    webroot: Path | None = None


@pytest.fixture(scope="module", params=["caddy", "nginx"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Site]:
    proxy = request.param
    proxy_binary(proxy)
    folder = tmp_path_factory.mktemp(proxy)
    project = make_project(folder / "project")
    https_port, http_port = free_port(), free_port()
    public_url = f"https://localhost:{https_port}"
    with survey_server(project, public_url) as server:
        if proxy == "caddy":
            with caddy(folder, https_port, http_port, server.port) as context:
                yield Site(proxy, public_url, http_port, server, context)
        else:
            webroot = folder / "www"
            webroot.mkdir()
            with nginx(folder, https_port, http_port, server.port, webroot) as context:
                yield Site(proxy, public_url, http_port, server, context, webroot)


# ---------------------------------------------------------------------------- a browser

@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Browser:
    """A phone's browser over HTTPS through the proxy, from a loopback address of its own
    (127.0.0.2 is another client than 127.0.0.1): sends cookies back, keeps every Set-Cookie
    and Location it was sent."""

    site: Site
    source: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)

    def request(self, method: str, path: str, form: dict[str, object] | None = None,
                headers: dict[str, str] | None = None, body: str | None = None,
                content_type: str = "") -> Reply:
        address = urlsplit(self.site.public_url)
        connection = http.client.HTTPSConnection(
            address.hostname, address.port, context=self.site.context, timeout=30,
            source_address=(self.source, 0))
        sent = dict(headers or {})
        if form is not None:
            body, content_type = urlencode(form, doseq=True), "application/x-www-form-urlencoded"
        if content_type:
            sent["Content-Type"] = content_type
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            reply = Reply(response.status, response.headers,
                          response.read().decode("utf-8", "replace"))
        finally:
            connection.close()
        for cookie in reply.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(cookie)
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if value:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        if reply.location:
            self.locations.append(reply.location)
        return reply

    def path_of(self, location: str) -> str:
        """The path a Location leads to; it must be relative (the browser resolves it against
        the public address it used) or start with the public URL."""
        parts = urlsplit(location)
        if parts.scheme or parts.netloc:
            assert location.startswith(self.site.public_url + "/"), location
        else:
            assert location.startswith("/") and not location.startswith("//"), location
        return parts.path + (f"?{parts.query}" if parts.query else "")


def assert_what_a_browser_was_sent_is_public_and_secure(browser: Browser) -> None:
    assert browser.set_cookies, "no cookie was set"
    for cookie in browser.set_cookies:
        flags = {flag.strip().split("=")[0].lower() for flag in cookie.split(";")[1:]}
        assert {"secure", "httponly"} <= flags, cookie
    for location in browser.locations:
        browser.path_of(location)
        assert f":{browser.site.server.port}" not in location, location


def start_form(browser: Browser, language: str) -> tuple[str, Reply]:
    landing = browser.request("GET", f"/s/{SURVEY}/")
    assert landing.status == 200, landing.text[:2000]
    assert landing.headers["Strict-Transport-Security"].startswith("max-age=")
    csrf = hidden(landing.text, "csrf_token")
    started = browser.request("POST", f"/s/{SURVEY}/start", {"csrf_token": csrf,
                                                             "lang": language})
    assert started.status == 302 and "/page/" in started.location, started.text[:2000]
    return csrf, started


# ---------------------------------------------------------------------------- the tests

def test_a_respondent_submits_and_staff_download_it_through_the_proxy(site, sample_submissions):
    sample = next(s for s in sample_submissions if s["language"] == "de")
    phone = Browser(site)
    csrf, reply = start_form(phone, "de")
    submission_id, pages = "", 0
    while reply.status == 302 and "/page/" in reply.location:
        location = phone.path_of(reply.location)
        page = phone.request("GET", location)
        assert page.status == 200, page.text[:2000]
        submission_id, pages = hidden(page.text, "submission_id"), pages + 1
        shown = set(shown_ids(page.text))
        own = {name: value for name, value in sample["answers"].items()
               if name.split("__")[0] in shown}
        reply = phone.request("POST", location, {"csrf_token": csrf, "action": "next",
                                                 "submission_id": submission_id,
                                                 **field_state(own)})
    assert pages > 1 and reply.status == 302, reply.text[:2000]
    assert phone.path_of(reply.location) == f"/s/{SURVEY}/review"
    review = phone.request("GET", f"/s/{SURVEY}/review")
    assert review.status == 200
    done = phone.request("POST", f"/s/{SURVEY}/submit", {
        "csrf_token": csrf, "submission_id": hidden(review.text, "submission_id")})
    assert done.status == 302 and phone.path_of(done.location) == f"/s/{SURVEY}/thanks"
    assert phone.request("GET", f"/s/{SURVEY}/thanks").status == 200
    assert_what_a_browser_was_sent_is_public_and_secure(phone)

    staff = Browser(site)
    login = staff.request("GET", "/admin/login")
    logged_in = staff.request("POST", "/admin/login", {
        "csrf_token": hidden(login.text, "csrf_token"), "name": "ana", "password": PASSWORD})
    assert logged_in.status == 302 and staff.path_of(logged_in.location) == "/admin/"
    download = staff.request("GET", f"/admin/{SURVEY}/responses.csv")
    assert download.status == 200 and submission_id in download.text
    assert_what_a_browser_was_sent_is_public_and_secure(staff)


def test_the_resume_link_starts_with_the_public_url(site):
    phone = Browser(site)
    csrf, started = start_form(phone, "de")
    location = phone.path_of(started.location)
    page = phone.request("GET", location)
    saved = phone.request("POST", location, {"csrf_token": csrf, "action": "save",
                                             "submission_id": hidden(page.text,
                                                                     "submission_id")})
    assert saved.status == 302 and phone.path_of(saved.location) == f"/s/{SURVEY}/saved"
    text = phone.request("GET", f"/s/{SURVEY}/saved").text
    found = re.search(r'<a href="([^"]+\?code=[^"]+)"', text)
    assert found, text[:2000]
    link = found.group(1).replace("&amp;", "&")
    assert link.startswith(f"{site.public_url}/s/{SURVEY}/?code="), link
    assert Browser(site).request("GET", phone.path_of(link)).status == 200
    assert_what_a_browser_was_sent_is_public_and_secure(phone)


def test_the_throttle_counts_the_clients_address_whatever_it_claims(site):
    # A client guesses staff logins (a new name each time, so no account lock is involved)
    # and claims another address with every attempt: the proxy passes its real one.
    guesser = Browser(site, source="127.0.0.2")
    csrf = hidden(guesser.request("GET", "/admin/login").text, "csrf_token")

    def guess(browser: Browser, attempt: int, claimed: str) -> Reply:
        return browser.request("POST", "/admin/login", {
            "csrf_token": csrf if browser is guesser else other_csrf,
            "name": f"nobody-{browser.source}-{attempt}", "password": "not the password"},
            headers={"X-Forwarded-For": claimed, "X-Real-IP": claimed,
                     "Forwarded": f"for={claimed}"})

    other = Browser(site, source="127.0.0.3")
    other_csrf = hidden(other.request("GET", "/admin/login").text, "csrf_token")
    for attempt in range(10):
        assert guess(guesser, attempt, f"198.51.100.{attempt + 1}").status == 401
    throttled = guess(guesser, 10, "198.51.100.99")
    assert throttled.status == 429 and int(throttled.headers["Retry-After"]) > 0
    # Another client is not slowed down, even when it claims to be the throttled one.
    assert guess(other, 0, "127.0.0.2").status == 401


def loopback_or_any(port: int) -> list[str]:
    """The local addresses of the TCP sockets listening on `port` (from /proc/net)."""
    found = []
    for table in ("tcp", "tcp6"):
        path = Path("/proc/net") / table
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.append(socket.inet_ntoa(struct.pack("<I", int(address, 16)))
                             if table == "tcp" else f"[{address}]")
    return found


def other_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (SIOCGIFADDR for each interface)."""
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            request = array.array("B", struct.pack("256s", name.encode()[:15]))
            try:
                fcntl.ioctl(probe.fileno(), 0x8915, request)  # SIOCGIFADDR
            except OSError:
                continue  # no IPv4 address on this interface
            address = socket.inet_ntoa(request.tobytes()[20:24])
            if not address.startswith("127."):
                found.append(address)
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/net")
def test_the_survey_server_listens_on_loopback_only(site):
    port = site.server.port
    assert loopback_or_any(port) == ["127.0.0.1"]
    for address in other_addresses():
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=3).close()


def printed_links(server: SurveyServer) -> dict[str, str]:
    found = (re.match(r"\s+([a-z ]+):\s+(https?://\S+)", line) for line in server.printed)
    return {match.group(1): match.group(2) for match in found if match}


def test_the_printed_links_lead_to_the_pages_through_the_proxy(site):
    links = printed_links(site.server)
    assert set(links) == {"respondents", "start page", "data entry", "admin"}, site.server.printed
    for url in links.values():
        assert Browser(site).request("GET", urlsplit(url).path).status in (200, 302), url
    assert any("This computer reaches the server itself at http://127.0.0.1:" in line
               for line in site.server.printed)


def test_the_printed_links_start_with_the_public_url(site):
    links = printed_links(site.server)
    assert links and all(url.startswith(site.public_url + "/") for url in links.values())


def test_plain_http_is_sent_to_https(site):
    connection = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
    try:
        connection.request("GET", f"/s/{SURVEY}/?lang=de", headers={"Host": "localhost"})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    location = response.getheader("Location", "")
    assert response.status in (301, 308) and location.startswith("https://localhost")
    assert location.endswith(f"/s/{SURVEY}/?lang=de")
    if site.webroot is not None:  # nginx: certbot's renewals are answered over plain HTTP
        challenge = site.webroot / ".well-known" / "acme-challenge"
        challenge.mkdir(parents=True, exist_ok=True)
        (challenge / "token").write_text("token-answer")
        connection = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
        try:
            connection.request("GET", "/.well-known/acme-challenge/token",
                               headers={"Host": "localhost"})
            response = connection.getresponse()
            assert (response.status, response.read()) == (200, b"token-answer")
        finally:
            connection.close()


def test_the_backup_unit_backs_up_and_a_scratch_project_restores(site, sample_submissions,
                                                                 tmp_path):
    sample = sample_submissions[1]
    posted = Browser(site).request("POST", f"/s/{SURVEY}/api/submissions", body=json.dumps({
        "submission_id": str(uuid.uuid4()), "language": sample["language"],
        "answers": sample["answers"]}), content_type="application/json")
    assert posted.status == 201, posted.text[:2000]

    project = site.server.project
    replacements = {DOC_COMMAND: str(SURVEY_COMMAND), DOC_PROJECT: str(project)}
    (backup,) = unit_commands("survey-backup.service", "ExecStart", replacements)
    (prune,) = unit_commands("survey-backup.service", "ExecStartPost",
                             {DOC_PROJECT: str(project)})
    backups = project / "backups"
    backups.mkdir(exist_ok=True)
    old = backups / "store-2000-01-01-031500.sqlite"
    old.write_bytes(b"an old backup")
    forty_days_ago = time.time() - 40 * 86400
    os.utime(old, (forty_days_ago, forty_days_ago))
    for command in (backup, prune):  # while the server keeps running
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    assert not old.exists()
    (made,) = backups.glob("store-*.sqlite")
    assert made.with_name(made.name + ".json").is_file()

    scratch = tmp_path / "scratch"
    shutil.copytree(project / "questionnaires", scratch / "questionnaires")
    done = subprocess.run([str(SURVEY_COMMAND), "restore", str(scratch), str(made), "--yes"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    counts = []
    for folder in (scratch, project):
        store = Project(folder).store()
        try:
            counts.append(store.count(SURVEY))
        finally:
            store.close()
    assert counts[0] == counts[1] and counts[0]["accepted"] >= 1
