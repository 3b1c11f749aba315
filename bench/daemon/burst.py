#!/usr/bin/env python3
"""Incoming burst (docs/BENCHMARKS.md, "Daemon: an incoming burst"): how fast a daemon stores a queue
of N messages that arrived while it was offline. Usage: bench/daemon/burst.py BIN_DIR [PARLEY] [N]

BIN_DIR holds parley-server.dll (and parley.dll unless PARLEY names another client, e.g. a published
native `parley`). Everything runs on 127.0.0.1 in a temporary directory: a server, alice's daemon
(home A) which sends N texts to bob, then bob's daemon (home B) which drains his queue. Reported:
seconds from bob's relay link connecting (his daemon's log line) to N messages stored (counted by his
`conversations` unread count), that rate, and the CPU time bob's daemon used."""
import json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time

bin_dir = os.path.realpath(sys.argv[1])
parley = (sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else f"dotnet {bin_dir}/parley.dll").split()
n = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
work = tempfile.mkdtemp(prefix="parley-burst-")
os.chmod(work, 0o700)
procs = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(path, pattern, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(path, encoding="utf-8", errors="replace") as f:
            m = re.search(pattern, f.read())
        if m:
            return m
        time.sleep(0.2)
    raise TimeoutError(f"{pattern} not in {path}")


def start(args, log, env=None):
    p = subprocess.Popen(args, stdout=open(log, "w"), stderr=subprocess.STDOUT, cwd=work, env=env)
    procs.append(p)
    return p


def runtime(home):
    """Each home's runtime directory (where its unlocked session lives), shared by its commands and daemon."""
    path = os.path.join(work, "run-" + home)
    os.makedirs(path, mode=0o700, exist_ok=True)
    return dict(os.environ, XDG_RUNTIME_DIR=path)


def run(args, stdin=None):
    home = args[args.index("--home") + 1]
    subprocess.run(args, input=stdin, text=True, check=True, cwd=work, stdout=subprocess.DEVNULL, timeout=300, env=runtime(home))


class Rpc:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(120)
        self.sock.connect(path)
        self.buf = b""
        self.next = 0

    def send(self, method, params):
        self.next += 1
        self.sock.sendall(json.dumps({"jsonrpc": "2.0", "id": self.next, "method": method, "params": params}).encode() + b"\n")

    def read_reply(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("daemon closed the socket")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def read(self):
        reply = self.read_reply()
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply.get("result")

    def call(self, method, params):
        self.send(method, params)
        return self.read()


def daemon(home, tag):
    env = runtime(home)
    log = os.path.join(work, tag + ".log")
    p = start(parley + ["--home", home, "daemon"], log, env)
    return p, wait_for(log, r"Local API socket: (\S+)").group(1)


try:
    port = free_port()
    server_log = os.path.join(work, "server.log")
    start(["dotnet", f"{bin_dir}/parley-server.dll", "--data", os.path.join(work, "data"), "--urls", f"https://127.0.0.1:{port}", "--Metrics:Urls=none",
           "--Relay:QueueCapPerRecipient=100000", "--Relay:SendRatePerSecond=100000", "--Relay:SendBurst=100000"], server_log)
    fp = wait_for(server_log, r"SHA256:[0-9A-Fa-f:]+").group(0)
    url = f"https://127.0.0.1:{port}"
    for user, home in (("alice", "a"), ("bob", "b")):
        run(parley + ["--home", home, "register", user, "--server", url, "--password-stdin", "--trust-server", fp], f"ribbon-saxophone-{user}-tundra-74\n")
    run(parley + ["--home", "a", "contacts", "request", "bob"])
    run(parley + ["--home", "b", "contacts", "accept", "alice"])
    run(parley + ["--home", "b", "receive"])

    sender, sender_socket = daemon("a", "alice")
    rpc = Rpc(sender_socket)
    t0 = time.monotonic()
    window = 4  # the API runs at most 8 calls at once and 200 per second per session
    texts = {}
    sent = 0
    while sent < n or texts:
        while sent < n and len(texts) < window:
            pause = t0 + sent / 180 - time.monotonic()  # under the API's 200 requests per second
            if pause > 0:
                time.sleep(pause)
            rpc.send("send", {"to": "bob", "text": f"burst message {sent:05d}"})
            texts[rpc.next] = f"burst message {sent:05d}"
            sent += 1
        reply = rpc.read_reply()
        text = texts.pop(reply.get("id"), None)
        if "error" in reply:
            if reply["error"]["code"] != -32002 or text is None:
                raise RuntimeError(reply["error"])
            time.sleep(0.05)
            rpc.send("send", {"to": "bob", "text": text})
            texts[rpc.next] = text
    print(f"alice sent {n} messages in {time.monotonic() - t0:.1f} s")
    while rpc.call("status", {})["pendingOutgoing"] > 0:
        time.sleep(0.2)

    start_at = time.monotonic()
    receiver, receiver_socket = daemon("b", "bob")
    connected = None
    while connected is None:  # the relay link's log line: deliveries flow from here on
        with open(os.path.join(work, "bob.log"), encoding="utf-8", errors="replace") as f:
            if "Relay link connected" in f.read():
                connected = time.monotonic()
        if time.monotonic() - start_at > 300:
            raise TimeoutError("bob's daemon did not connect")
        time.sleep(0.01)
    bob = Rpc(receiver_socket)
    stored = 0
    while stored < n:  # a poll waits while the inbox holds the profile's lock, so the last one ends with the last batch
        if time.monotonic() - start_at > 900:
            raise TimeoutError(f"only {stored} of {n} stored after 900 s")
        conv = bob.call("conversations", {})["conversations"]
        stored = next((c["unread"] for c in conv if c["user"] == "alice"), 0)
        time.sleep(0.01)
    end = time.monotonic()
    with open(f"/proc/{receiver.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    span = end - connected
    print(f"bob stored {n} messages {span:.2f} s after his relay link connected = {n / span:.0f} msg/s "
          f"({end - start_at:.2f} s after his daemon started); "
          f"bob's daemon CPU {cpu:.2f} s ({cpu / n * 1e6:.0f} us per message, start-up included)")
    print(f"load: {open('/proc/loadavg').read().split()[:3]}")
finally:
    for p in reversed(procs):
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
    if os.environ.get("KEEP"):
        print("kept", work)
    else:
        shutil.rmtree(work, ignore_errors=True)
