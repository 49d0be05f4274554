#!/usr/bin/python3
"""What a sunpy 4.1.2 user sees when a VSO search or fetch through the broker goes wrong.

Usage: /usr/bin/python3 sunpy_warnings.py WSDL_URL START END
Runs VSOClient(url=WSDL_URL, port='nsoVSOi') searches that cannot be answered in full — an unknown provider, a
misspelled instrument, a time range over the broker's limit, a sampling filter some providers cannot apply, a
year that returns more records than the broker sends — and prints for each, as one JSON line, the warnings sunpy
emitted (what the user sees printed), the table length and the table's errors. Then it searches START..END, replaces
one file id of the result with an id nobody knows, fetches, and prints the number of files and fetch()'s errors.
"""
import json
import os
import sys
import tempfile
import warnings

import astropy.units as u
from astropy.table import Column
from sunpy.net import attrs as a
from sunpy.net.vso import VSOClient

UNKNOWN_ID = "no-such-file-id-42"


def search(client, name, *attrs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = client.search(*attrs)
    print(json.dumps({"search": name, "count": len(table),
                      "warnings": [str(w.message) for w in caught],
                      "errors": [str(e) for e in getattr(table, "errors", [])]}))
    return table


def main():
    wsdl, start, end = sys.argv[1:4]
    client = VSOClient(url=wsdl, port="nsoVSOi")
    time = a.Time(start, end)
    search(client, "unknown-provider", time, a.Provider("NOSUCHPROVIDER"))
    search(client, "misspelled-instrument", time, a.Instrument("AIA 171"))
    search(client, "range-over-limit", a.Time("1950/01/01", "2049/12/31"))
    search(client, "sample", time, a.Sample(10 * u.min))
    search(client, "cut-answer", a.Time("2021/01/01", "2023/01/01"))

    table = search(client, "to-fetch", time, a.Instrument("AIA"))[:2]
    ids = [str(i) for i in table["fileid"]]
    ids[-1] = UNKNOWN_ID
    table.replace_column("fileid", Column(ids, name="fileid"))
    with tempfile.TemporaryDirectory() as tmp:
        files = client.fetch(table, path=os.path.join(tmp, "{file}"), progress=False)
        print(json.dumps({"fetch": len(files), "asked": len(table), "ids": ids,
                          "errors": [f"{e!s} {getattr(e, 'exception', '')!s}" for e in files.errors]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
