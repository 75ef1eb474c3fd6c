"""Shared by the systems' seed.py: the scenario's actions in replay order, the faked clock, HTTP calls.

Replay order: every action of every ticket in one chronological sequence (ties: ticket order, then the
action's position), so the faked clock only moves forward and the systems number tickets in creation order.
Before each API call the faked "now" (the action's UTC instant) is written to the faketime file the server
reads (libfaketime, FAKETIME_NO_CACHE=1); the system then records exactly that instant.
"""
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, "..", "scenario", "scenario.json")

TEXTS = {
    "create": "Meldung der Schule über das Ticketformular.",
    "reply_public": "Rückmeldung an die Schule: wir kümmern uns darum.",
    "note": "Interne Notiz: Analyse läuft.",
    "effort": "Aufwand gebucht.",
}


def load(path=None):
    with open(path or os.environ.get("REALSYS_SCENARIO", SCENARIO), encoding="utf-8") as f:
        return json.load(f)


def replay_order(doc):
    """[(ticket, index, action)] in chronological order."""
    items = []
    for n, t in enumerate(doc["tickets"]):
        for i, a in enumerate(t["actions"]):
            items.append((a["at"], n, i, t, a))
    items.sort(key=lambda x: (x[0], x[1], x[2]))
    return [(t, i, a) for _, _, i, t, a in items]


class Clock:
    """Writes the faked "now" for the server (absolute UTC, frozen: exact seconds)."""

    def __init__(self, path, relative=False):
        self.path = path
        self.relative = relative

    def set(self, iso_utc):
        t = datetime.fromisoformat(iso_utc.replace("Z", "+00:00"))
        if self.relative:   # a ticking clock: offset in seconds from the real now
            s = "%+d" % int(t.timestamp() - time.time())
        else:
            s = t.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            f.write(s + "\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, self.path)


class Http:
    def __init__(self, base, headers=None, user=None, password=None):
        self.base = base.rstrip("/")
        self.headers = dict(headers or {})
        if user is not None:
            self.headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def call(self, method, path, body=None, headers=None, expect=(200, 201, 204), tries=3, raw=False):
        data = None
        h = dict(self.headers)
        h.update(headers or {})
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            h["Content-Type"] = "application/json; charset=utf-8"
        last = None
        want_raw = raw
        for k in range(tries):
            req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    raw = r.read()
                    if r.status not in expect:
                        raise RuntimeError(f"{method} {path}: HTTP {r.status}: {raw[:300]!r}")
                    if want_raw:
                        return raw
                    if not raw.strip():
                        return None
                    try:
                        return json.loads(raw)
                    except ValueError:
                        return raw.decode("utf-8", "replace")
            except urllib.error.HTTPError as e:
                msg = e.read()[:500]
                if e.code in expect:
                    return None
                if e.code < 500:
                    raise RuntimeError(f"{method} {path}: HTTP {e.code}: {msg!r} (body {body!r})")
                last = f"HTTP {e.code}: {msg!r}"
            except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
                last = str(e)
            time.sleep(1 + k)
        raise RuntimeError(f"{method} {path}: failed after {tries} tries: {last}")


def progress(n, total, t0, what):
    if n % 100 == 0 or n == total:
        el = time.time() - t0
        print(f"  {what}: {n}/{total} actions, {el:.0f} s", file=sys.stderr, flush=True)
