#!/usr/bin/python3
"""
astroquery's TapPlus (Debian) against the broker's TAP service: load_tables (names only and full), launch_job,
launch_job_async, then login (TapPlus then talks HTTPS and keeps the JSESSIONID cookie), launch_job_async and the
job listing as the logged-in session, logout, and the listing again. Prints one JSON line per call, records as
[provider, fileid] pairs. Usage: tap_astroquery.py TAP_URL SSL_PORT QUERY  (SSL_CERT_FILE trusts the broker's cert)
"""
import json
import sys

from astroquery.utils.tap.core import TapPlus


def keys(table):
    return sorted([str(row["provider"]), str(row["fileid"])] for row in table)


def job_ids(tap):
    return sorted(str(j.jobid) for j in (tap.list_async_jobs() or []))


def main():
    url, ssl_port, query = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    tap = TapPlus(url=url, sslport=ssl_port)

    # Table names as published (TAP style, qualified: "vso.records"; get_qualified_name() prefixes the schema again).
    names = sorted(t.name for t in tap.load_tables(only_names=True))
    full = {t.name: [c.name for c in t.columns] for t in tap.load_tables()}
    one = tap.load_table("ivoa.obscore")
    print(json.dumps({"call": "load_tables", "names": names, "records_columns": full.get("vso.records", []),
                      "obscore_columns": [c.name for c in one.columns]}))

    print(json.dumps({"call": "launch_job", "records": keys(tap.launch_job(query).get_results())}))

    anonymous = tap.launch_job_async(query)
    print(json.dumps({"call": "launch_job_async", "records": keys(anonymous.get_results()), "phase": anonymous.get_phase(),
                      "listed_before_login": job_ids(tap)}))

    tap.login(user="astronomer", password="")
    mine = tap.launch_job_async(query)
    print(json.dumps({"call": "login", "records": keys(mine.get_results()), "job": str(mine.jobid), "listed": job_ids(tap)}))

    tap.logout()
    print(json.dumps({"call": "logout", "listed": job_ids(tap)}))


if __name__ == "__main__":
    main()
