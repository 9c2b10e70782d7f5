#!/usr/bin/env python3
"""A fake Atlas Administration API (v2) for the atlas-doctor test bed, on 127.0.0.1.

Hand-written from the public API reference (no OpenAPI file is vendored). It speaks:
- HTTP Digest (API keys: realm "MMS Public API", qop=auth, MD5) with a 401 challenge;
- OAuth 2 client credentials: POST /api/oauth/token (HTTP Basic) -> Bearer token;
- the versioned Accept header (application/vnd.atlas.YYYY-MM-DD+json) on /api/atlas/v2,
  406 without it;
- paging (itemsPerPage, pageNum; results, totalCount, links);
- the error body {"error", "errorCode", "detail", "reason", "parameters"} with
  CLUSTER_NOT_FOUND, CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API,
  ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND, USERNAME_NOT_FOUND, and 403
  IP_ADDRESS_NOT_ON_ACCESS_LIST for the "refused" API key (the API's own access list);
- GET /api/private/ipinfo: the caller's address as the server sees it.

Usage: fake_atlas_api.py --port P --data FILE   (FILE: JSON written by scripts/testbed)
Standard library only. Read-only: every method but GET (and the token POST) is 405.
"""

import argparse
import base64
import hashlib
import json
import re
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

REALM = "MMS Public API"
VERSIONED = re.compile(r"application/vnd\.atlas\.\d{4}-\d{2}-\d{2}\+json")


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 (Digest's own algorithm)


def project_data(data):
    """The one project's resources, built from the bed's ports and names."""
    domain, tls = data["domain"], data["mongo_tls"]
    entries = []
    # Filler first, so the entries the tests match against sit on page 2.
    for i in range(110):
        entries.append({"ipAddress": f"198.18.{i // 200}.{i % 200 + 1}", "comment": f"runner {i}"})
    entries += [
        {"cidrBlock": "203.0.113.0/24", "comment": "office"},
        {"cidrBlock": "2001:db8:1::/48", "comment": "office v6"},
        {"ipAddress": "198.51.100.9", "comment": "new laptop", "status": "PENDING"},
        {"ipAddress": "192.0.2.200", "comment": "contractor", "deleteAfterDate": "2027-01-31T00:00:00Z"},
    ]
    for entry in entries:
        entry["groupId"] = data["project_id"]

    def strings(name, private=False):
        out = {
            "standard": f"mongodb://shard-00-00.{name}.{domain}:{tls}/?ssl=true&authSource=admin",
            "standardSrv": f"mongodb+srv://{name}.{domain}",
        }
        if private:
            out["privateEndpoint"] = [{
                "connectionString": f"mongodb://pl-0-local.{name}.{domain}:1024/?ssl=true",
                "srvConnectionString": f"mongodb+srv://{name}-pl-0.{domain}",
                "type": "MONGOD",
                "endpoints": [],
            }]
            out["privateSrv"] = f"mongodb+srv://{name}-pri.{domain}"
        return out

    def cluster(name, state="IDLE", paused=False, change="APPLIED", private=False):
        return {
            "name": name, "groupId": data["project_id"], "stateName": state, "paused": paused,
            "mongoDBVersion": "8.0.4", "clusterType": "REPLICASET",
            "connectionStrings": strings(name.lower(), private), "_changeStatus": change,
        }

    clusters = [
        cluster("Cluster0", private=True),
        cluster("Cluster1"),
        cluster("Paused0", paused=True),
        cluster("Pending0", change="PENDING"),
        cluster("Creating0", state="CREATING"),
    ]
    flex = [{
        "name": "Flex0", "groupId": data["project_id"], "stateName": "IDLE", "mongoDBVersion": "8.0.4",
        "connectionStrings": {"standardSrv": f"mongodb+srv://flex0.{domain}"},
    }]

    def user(name, db="admin", scopes=(), expires=None):
        u = {
            "username": name, "databaseName": db, "groupId": data["project_id"],
            "roles": [{"roleName": "readWrite", "databaseName": "app"}],
            "scopes": [{"name": s, "type": "CLUSTER"} for s in scopes],
            "labels": [],
        }
        if expires:
            u["deleteAfterDate"] = expires
        return u

    users = [
        user("app"),
        # Only the letter case tells it from a login as "orders": user names are case-sensitive.
        user("Orders"),
        user("scoped", scopes=["Cluster1"]),
        user("temp", expires="2027-01-31T00:00:00Z"),
        user("CN=client,O=test", db="$external"),
    ]
    return {"access_list": entries, "clusters": clusters, "flex": flex, "users": users}


class Api(BaseHTTPRequestHandler):
    server_version = "fake-atlas-api/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # noqa: D102 (quiet: the bed's log keeps one line per request)
        sys.stderr.write("%s %s\n" % (self.command, self.path))

    # ------------------------------------------------------------ replies

    def reply(self, status, body, headers=()):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def error(self, status, code, detail, reason, params=(), headers=()):
        self.reply(status, {"error": status, "errorCode": code, "detail": detail, "reason": reason,
                            "parameters": list(params)}, headers)

    def challenge(self):
        nonce = secrets.token_hex(16)
        header = f'Digest realm="{REALM}", domain="", nonce="{nonce}", algorithm=MD5, qop="auth", stale=false'
        self.error(401, None, "You are not authorized for this resource.", "Unauthorized",
                   headers=[("WWW-Authenticate", header)])

    # ------------------------------------------------------------ auth

    def who(self):
        """'ok', 'refused', or None (send a challenge or 401)."""
        data = self.server.data
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            return "ok" if auth[7:] in self.server.tokens else None
        if auth.startswith("Digest "):
            fields = dict(re.findall(r'(\w+)="?([^",]*)"?', auth[7:]))
            keys = {data["api_key"]["public"]: ("ok", data["api_key"]["private"]),
                    data["refused_key"]["public"]: ("refused", data["refused_key"]["private"])}
            who, private = keys.get(fields.get("username"), (None, None))
            if who is None or fields.get("realm") != REALM:
                return None
            ha1 = md5(f"{fields['username']}:{REALM}:{private}")
            ha2 = md5(f"{self.command}:{fields.get('uri', '')}")
            want = md5(f"{ha1}:{fields.get('nonce')}:{fields.get('nc')}:{fields.get('cnonce')}:{fields.get('qop')}:{ha2}")
            if fields.get("response") != want or fields.get("uri") != self.path:
                return None
            return who
        return None

    def do_POST(self):  # noqa: N802
        if urlsplit(self.path).path != "/api/oauth/token":
            return self.error(405, "METHOD_NOT_ALLOWED", "This fake is read-only.", "Method Not Allowed")
        length = int(self.headers.get("Content-Length") or 0)
        body = parse_qs(self.rfile.read(length).decode())
        sa = self.server.data["service_account"]
        basic = self.headers.get("Authorization", "")
        want = "Basic " + base64.b64encode(f"{sa['client_id']}:{sa['client_secret']}".encode()).decode()
        if body.get("grant_type") != ["client_credentials"]:
            return self.reply(400, {"error": "unsupported_grant_type"})
        if basic != want:
            return self.reply(401, {"error": "invalid_client", "error_description": "Invalid client credentials"})
        token = secrets.token_urlsafe(32)
        self.server.tokens.add(token)
        self.reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})

    def do_PUT(self):  # noqa: N802
        self.error(405, "METHOD_NOT_ALLOWED", "This fake is read-only.", "Method Not Allowed")

    do_DELETE = do_PATCH = do_PUT

    # ------------------------------------------------------------ resources

    def do_GET(self):  # noqa: N802
        who = self.who()
        if who is None:
            return self.challenge()
        if who == "refused":
            ip = self.client_address[0]
            return self.error(403, "IP_ADDRESS_NOT_ON_ACCESS_LIST",
                              f"IP address {ip} is not allowed to access this resource.", "Forbidden", [ip])
        url = urlsplit(self.path)
        path = [unquote(p) for p in url.path.strip("/").split("/")]
        if path == ["api", "private", "ipinfo"]:
            return self.reply(200, {"currentIpv4Address": self.client_address[0]})
        if path[:3] != ["api", "atlas", "v2"]:
            return self.error(404, "RESOURCE_NOT_FOUND", "Cannot find resource.", "Not Found")
        if not VERSIONED.fullmatch(self.headers.get("Accept", "").strip()):
            return self.error(406, "INVALID_VERSION_DATE",
                              "Missing or invalid versioned Accept header application/vnd.atlas.YYYY-MM-DD+json.",
                              "Not Acceptable")
        rest = path[3:]
        project = self.server.project
        if len(rest) < 2 or rest[0] != "groups":
            return self.error(404, "RESOURCE_NOT_FOUND", "Cannot find resource.", "Not Found")
        if rest[1] != self.server.data["project_id"]:
            return self.error(404, "GROUP_NOT_FOUND", f"No group with ID {rest[1]} exists.", "Not Found", [rest[1]])
        query = parse_qs(url.query)
        rest = rest[2:]
        match rest:
            case ["accessList"]:
                return self.page(project["access_list"], query, public_entry)
            case ["accessList", entry, "status"]:
                found = next((e for e in project["access_list"]
                              if entry in (e.get("ipAddress"), e.get("cidrBlock"))), None)
                if found is None:
                    return self.error(404, "ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND",
                                      f"IP Address {entry} not on Atlas access list for group.", "Not Found", [entry])
                return self.reply(200, {"STATUS": found.get("status", "ACTIVE")})
            case ["clusters"]:
                return self.page(project["clusters"], query, public_cluster)
            case ["clusters", name]:
                return self.cluster(name, lambda c: self.reply(200, public_cluster(c)))
            case ["clusters", name, "status"]:
                return self.cluster(name, lambda c: self.reply(200, {"changeStatus": c["_changeStatus"]}))
            case ["flexClusters"]:
                return self.page(project["flex"], query, dict)
            case ["flexClusters", name]:
                found = next((c for c in project["flex"] if c["name"] == name), None)
                if found is None:
                    return self.error(404, "FLEX_CLUSTER_NOT_FOUND", f"Flex cluster {name} not found.", "Not Found", [name])
                return self.reply(200, found)
            case ["databaseUsers"]:
                return self.page(project["users"], query, dict)
            case ["databaseUsers", db, username]:
                found = next((u for u in project["users"]
                              if u["databaseName"] == db and u["username"] == username), None)
                if found is None:
                    return self.error(404, "USERNAME_NOT_FOUND",
                                      f"No user with username {username} exists.", "Not Found", [username])
                return self.reply(200, found)
        return self.error(404, "RESOURCE_NOT_FOUND", "Cannot find resource.", "Not Found")

    def cluster(self, name, then):
        project = self.server.project
        if any(c["name"] == name for c in project["flex"]):
            return self.error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API",
                              f"Flex cluster {name} cannot be used in the Cluster API.", "Bad Request", [name])
        found = next((c for c in project["clusters"] if c["name"] == name), None)
        if found is None:
            return self.error(404, "CLUSTER_NOT_FOUND",
                              f"No cluster named {name} exists in group {self.server.data['project_id']}.",
                              "Not Found", [name, self.server.data["project_id"]])
        return then(found)

    def page(self, items, query, public):
        try:
            per_page = min(int(query.get("itemsPerPage", ["100"])[0]), 500)
            page = max(int(query.get("pageNum", ["1"])[0]), 1)
        except ValueError:
            return self.error(400, "INVALID_QUERY_PARAMETER", "Invalid paging parameter.", "Bad Request")
        chunk = items[(page - 1) * per_page: page * per_page]
        links = [{"href": self.path, "rel": "self"}]
        self.reply(200, {"links": links, "results": [public(i) for i in chunk], "totalCount": len(items)})


def public_entry(entry):
    return {k: v for k, v in entry.items() if k != "status"}


def public_cluster(cluster):
    return {k: v for k, v in cluster.items() if not k.startswith("_")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    with open(args.data) as f:
        data = json.load(f)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Api)
    server.daemon_threads = True
    server.data = data
    server.project = project_data(data)
    server.tokens = set()
    server.lock = threading.Lock()
    server.serve_forever()


if __name__ == "__main__":
    main()
