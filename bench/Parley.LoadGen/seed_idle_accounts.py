#!/usr/bin/env python3
"""Seeds N idle accounts with session tokens straight into a parley-server SQLite database.

Why: one relay socket per account, and registering + logging in 19,000 accounts through SRP-6a
(4,096-bit group) takes hours on a shared two-core machine. Idle-connection figures need accounts
that can open an authenticated socket, nothing more: each seeded account gets a real session token
(32 random bytes, base64url; the database holds its SHA-256, exactly as the server's login writes
it), so the socket authenticates through the normal bearer path. The accounts have an unusable SRP
verifier (random bytes): nobody can log in to them with a password. Benchmark data only.

usage: seed_idle_accounts.py DATA_DIR/parley.db ACCOUNTS_FILE COUNT [PREFIX]
Appends "username token" lines to ACCOUNTS_FILE (the load generator's --accounts-file format).
"""
import base64, hashlib, os, sqlite3, sys, time

db_path, accounts_file, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
prefix = sys.argv[4] if len(sys.argv) > 4 else "idle" + os.urandom(3).hex() + "_"
now = int(time.time() * 1000)
expires = now + 30 * 24 * 3600 * 1000
db = sqlite3.connect(db_path, timeout=30)
lines = []
with db:
    for i in range(count):
        name = f"{prefix}{i}"
        cur = db.execute(
            "INSERT INTO accounts (username, srp_salt, verifier, argon_salt, argon_memory_kib, argon_iterations, "
            "argon_parallelism, created_at) VALUES (?, ?, ?, ?, 8, 1, 1, ?)",
            (name, os.urandom(16), os.urandom(512), os.urandom(16), now))
        raw = os.urandom(32)
        token = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        db.execute("INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                   (hashlib.sha256(raw).digest(), cur.lastrowid, now, expires))
        lines.append(f"{name} {token}\n")
with open(accounts_file, "a") as f:
    f.writelines(lines)
print(f"seeded {count} accounts into {db_path}")
