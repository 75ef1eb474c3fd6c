"""iTop's REST/JSON API (webservices/rest.php, version 1.3) for setup.py, seed.py and export.py (stdlib only).

Every call is one POST, form-encoded: auth_user, auth_pwd, json_data (the operation as JSON). The answer is JSON
with "code" (0 = ok; 1 = UNAUTHORIZED, 2 = MISSING_VERSION, 3 = MISSING_JSON, 4 = INVALID_JSON, 5 =
MISSING_AUTH_USER, 6 = MISSING_AUTH_PWD, 10 = UNSUPPORTED_VERSION, 11 = UNKNOWN_OPERATION, 12 = UNSAFE, 100 =
INTERNAL_ERROR), "message" and, for core/get|create|update|apply_stimulus, "objects" {"Class::id": {"code",
"message", "class", "key", "fields"}}.
"""
import json
import os
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

STATE = os.environ.get("REALSYS_STATE", "/opt/realsys")
URL = os.environ.get("ITOP_URL", "http://127.0.0.1:8087")
ADMIN = os.environ.get("ITOP_USER", "admin")
ADMINPW = os.environ.get("ITOP_PASSWORD", "realsys-Admin1!")
AGENTPW = "realsys-Agent1!"
FETCH, FETCHPW = "kennzahl", "realsys-Fetch1!"

# the scenario's teams: iTop Team (queue) -> technical account (UserLocal login = the Person's last name)
TEAMS = {"1st Level": "l1-agent", "2nd Level": "l2-agent",
         "Vendor Druckerservice": "vendor-druck", "Vendor MDM": "vendor-mdm"}
# the organisation each team belongs to (code, name); schools are organisations too (code = school id)
PROVIDER = ("SCHUL-IT", "Schul-IT der Kommune")
VENDORS = {"Vendor Druckerservice": ("DRUCKERSERVICE", "Druckerservice"),
           "Vendor MDM": ("MDM", "MDM-Dienstleister")}


class RestError(RuntimeError):
    def __init__(self, msg, answer=None):
        super().__init__(msg)
        self.answer = answer


def mariadb_up(wait=60):
    """The shared MariaDB answers (started with its init script when it does not: never stopped here). Only as
    root (the harness); True when it answers."""
    ping = ["mysqladmin", "--silent", "ping"]
    if subprocess.run(ping, capture_output=True).returncode == 0:
        return True
    if os.geteuid() != 0:
        return False
    # its own session: the init script leaves mysqld_safe in our process group (realsys/lib/common.sh)
    subprocess.run(["setsid", "-f", "/etc/init.d/mariadb", "start"], capture_output=True)
    for _ in range(wait):
        if subprocess.run(ping, capture_output=True).returncode == 0:
            return True
        time.sleep(1)
    return False


class Rest:
    # called before a call is sent again after the shared database was found down (seed.py sets the faked clock
    # back to the action's instant there)
    on_retry = None

    def __init__(self, user=ADMIN, password=ADMINPW, url=URL, comment="realsys"):
        self.user, self.password, self.comment = user, password, comment
        self.endpoint = url.rstrip("/") + "/webservices/rest.php?version=1.3"

    def raw(self, op, tries=3):
        """POST one operation; returns the decoded answer (whatever its code)."""
        data = urllib.parse.urlencode({"auth_user": self.user, "auth_pwd": self.password,
                                       "json_data": json.dumps(op)}).encode()
        last = None
        for k in range(tries):
            try:
                req = urllib.request.Request(self.endpoint, data=data, method="POST")
                with urllib.request.urlopen(req, timeout=300) as r:
                    body = r.read()
                try:
                    return json.loads(body)
                except ValueError:
                    raise RestError(f"{op.get('operation')}: not JSON: {body[:500]!r}")
            except urllib.error.HTTPError as e:
                last = f"HTTP {e.code}: {e.read()[:300]!r}"
                if e.code < 500:
                    break
                # iTop answers 500 before it touches anything when it cannot reach the database; MariaDB is shared
                # (osTicket) and was seen going down during a seed: start it and send the call again
                if subprocess.run(["mysqladmin", "--silent", "ping"], capture_output=True).returncode != 0:
                    print(f"itoplib: the database does not answer ({last}); starting it and retrying", flush=True)
                    if not mariadb_up():
                        break
                    if Rest.on_retry:
                        Rest.on_retry()
                    continue
            except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
                last = str(e)
            time.sleep(1 + k)
        raise RestError(f"{op.get('operation')} {op.get('class', '')}: failed: {last}")

    def call(self, op):
        r = self.raw(op)
        if r.get("code") != 0:
            raise RestError(f"{op.get('operation')} {op.get('class', '')}: code {r.get('code')}: {r.get('message')} "
                            f"(request {json.dumps(op, ensure_ascii=False)[:400]})", r)
        for o in (r.get("objects") or {}).values():
            if o.get("code", 0) != 0:
                raise RestError(f"{op.get('operation')}: {o.get('message')}", r)
        return r

    def get(self, cls, key, fields="*", limit=0, page=1):
        """[(id, fields)] of core/get, ordered by id."""
        op = {"operation": "core/get", "class": cls, "key": key, "output_fields": fields}
        if limit:
            op.update(limit=limit, page=page)
        r = self.call(op)
        return sorted(((int(o["key"]), o["fields"]) for o in (r.get("objects") or {}).values()), key=lambda x: x[0])

    def create(self, cls, fields, out="id"):
        r = self.call({"operation": "core/create", "class": cls, "comment": self.comment, "fields": fields,
                       "output_fields": out})
        return int(next(iter(r["objects"].values()))["key"])

    def update(self, cls, key, fields, out="id"):
        return self.call({"operation": "core/update", "class": cls, "key": key, "comment": self.comment,
                          "fields": fields, "output_fields": out})

    def stimulus(self, cls, key, stimulus, fields=None, out="id,status"):
        r = self.call({"operation": "core/apply_stimulus", "class": cls, "key": key, "stimulus": stimulus,
                       "comment": self.comment, "fields": fields or {}, "output_fields": out})
        objs = r.get("objects") or {}
        if not objs:   # iTop answers code 0 without objects when the transition did not happen
            raise RestError(f"apply_stimulus {stimulus} on {cls}::{key}: not applied: {r.get('message')}", r)
        return r

    def ensure(self, cls, oql, fields):
        """The id of the object the OQL finds, or of a new one made with fields."""
        got = self.get(cls, oql, "id")
        if got:
            return got[0][0]
        return self.create(cls, fields)
