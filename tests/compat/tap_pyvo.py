#!/usr/bin/python3
"""
pyvo (Debian) against the broker's TAP service: TAPService.search (sync), run_async, submit_job + run + wait +
fetch_result + delete, and the VOSI tables. Prints one JSON line per call, records as [provider, fileid] pairs.
Usage: tap_pyvo.py TAP_URL QUERY
"""
import json
import sys

import pyvo


def keys(result):
    return sorted([str(row["provider"]), str(row["fileid"])] for row in result)


def main():
    url, query = sys.argv[1], sys.argv[2]
    service = pyvo.dal.TAPService(url)

    sync = service.search(query)
    print(json.dumps({"call": "search", "records": keys(sync), "overflow": bool(sync.query_status == "OVERFLOW"),
                      "infos": [[i.name, str(i.value), str(i.content)] for r in sync.votable.resources for i in r.infos]}))

    print(json.dumps({"call": "run_async", "records": keys(service.run_async(query))}))

    job = service.submit_job(query, maxrec=100000)
    submitted_phase = job.phase
    job.run()
    job.wait(timeout=120)
    final_phase = job.phase
    result = job.fetch_result()
    url_of_job = job.url
    job.delete()
    print(json.dumps({"call": "submit_job", "records": keys(result), "phases": [submitted_phase, final_phase], "job": url_of_job}))

    tables = service.tables
    names = sorted(tables.keys())
    columns = [c.name for c in tables["vso.records"].columns]
    obscore = {c.name: c.unit and str(c.unit) for c in tables["ivoa.obscore"].columns}
    print(json.dumps({"call": "tables", "names": names, "records_columns": columns, "obscore_units": obscore}))


if __name__ == "__main__":
    main()
