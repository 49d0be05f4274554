#!/usr/bin/python3
"""sunpy 4.1 VSOClient with the user's own provider credentials, as README's "Your own credentials" section shows it.

Usage: /usr/bin/python3 sunpy_vso_credentials.py BROKER_URL PROVIDER INSTRUMENT START END DOWNLOAD_DIR
(username and password are read from the environment, VSOBROKER_USER and VSOBROKER_PASSWORD, never the command line)
One requests.Session carries the broker session (VSO-Session header) for the REST call that stores the credentials and
for zeep's SOAP calls, so VSOClient's search and fetch run with them. Prints one JSON line per record found
({"provider", "fileid"}), per record of the same Query through zeep alone ({"zeep": fileid, "info"}) and per downloaded file ({"file", "size", "sha256"}); exits non-zero on any failure.
"""
import hashlib
import json
import os
import sys

import requests
from sunpy.net import attrs as a
from sunpy.net.vso import VSOClient
from sunpy.net.vso.vso import build_client
from zeep.transports import Transport


def main():
    broker, provider, instrument, start, end, target = sys.argv[1:7]
    broker = broker.rstrip("/")

    # 1. A broker session, and your credentials for PROVIDER stored in it (encrypted by the broker).
    http = requests.Session()
    session_id = http.post(f"{broker}/api/v1/sessions").json()["sessionId"]
    http.headers["VSO-Session"] = session_id
    stored = http.put(f"{broker}/api/v1/sessions/current/credentials/{provider}",
                      json={"username": os.environ["VSOBROKER_USER"], "password": os.environ["VSOBROKER_PASSWORD"]})
    stored.raise_for_status()

    # 2. VSOClient whose SOAP calls go through that session.
    api = build_client(f"{broker}/soap/VSOi_rpc_literal.wsdl", "nsoVSOi", transport=Transport(session=http))
    client = VSOClient(api=api)

    table = client.search(a.Time(start, end), a.Instrument(instrument))
    for row in table:
        print(json.dumps({"provider": str(row["Provider"]), "fileid": str(row["fileid"])}))
    if len(table) == 0:
        print("no records", file=sys.stderr)
        return 1

    # The same search through zeep alone: VSOi has no data-rights field, a restricted record says so in its info text.
    vso_time = lambda t: t.replace("/", "").replace(" ", "").replace(":", "") + "00"
    items = api.service.Query(body={"block": {"time": {"start": vso_time(start), "end": vso_time(end)}, "instrument": instrument}})
    for item in items:
        for rec in (item.record.recorditem if item.record is not None else []):
            print(json.dumps({"zeep": str(rec.fileid), "info": rec.info}))

    # 3. fetch: GetData runs in the session too; restricted files come as broker download links (no session needed).
    results = client.fetch(table, path=os.path.join(target, "{file}"), progress=False)
    if results.errors:
        print(f"download errors: {results.errors}", file=sys.stderr)
        return 1
    for name in results:
        with open(name, "rb") as f:
            data = f.read()
        print(json.dumps({"file": os.path.basename(name), "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}))
    http.delete(f"{broker}/api/v1/sessions/current/credentials/{provider}").raise_for_status()
    return 0


if __name__ == "__main__":
    sys.exit(main())
