#!/usr/bin/python3
"""sunpy 4.1.2 VSOClient against the broker's VSOi SOAP door.

Usage: /usr/bin/python3 sunpy_vso_client.py WSDL_URL [START END]
Runs three searches (time + instrument, time + wavelength range, an OR of two instruments), prints the
records (fileid, provider) of each as JSON, then fetches the first search to a temporary directory and
prints the downloaded files. Exits non-zero when a search fails, comes back empty, or a download fails.
"""
import json
import sys
import tempfile
import warnings

import astropy.units as u
from sunpy.net import attrs as a
from sunpy.net.vso import VSOClient


def records(table):
    return [{"fileid": str(row["fileid"]), "provider": str(row["Provider"])} for row in table]


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    url = sys.argv[1]
    start, end = (sys.argv[2], sys.argv[3]) if len(sys.argv) > 3 else ("2010/01/01 00:00", "2010/01/01 01:00")
    client = VSOClient(url=url, port="nsoVSOi")
    time = a.Time(start, end)
    searches = {
        "time+instrument": [time, a.Instrument("EIT")],
        "time+wavelength": [time, a.Wavelength(160 * u.AA, 180 * u.AA)],
        "or-of-instruments": [time & (a.Instrument("EIT") | a.Instrument("LASCO"))],
    }
    failed = False
    tables = {}
    for name, attrs in searches.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = client.search(*attrs)
        errors = [str(e) for e in getattr(table, "errors", [])]
        result = {"search": name, "count": len(table), "records": records(table), "errors": errors,
                  "warnings": [str(w.message) for w in caught if "VSO" in str(w.message) or "error" in str(w.message).lower()]}
        print(json.dumps(result))
        if errors or len(table) == 0:
            failed = True
        tables[name] = table

    table = tables["time+instrument"]
    with tempfile.TemporaryDirectory() as tmp:
        files = client.fetch(table, path=tmp + "/{file}", progress=False)
        downloaded = sorted(str(f) for f in files)
        errors = [str(e) for e in getattr(files, "errors", [])]
        print(json.dumps({"fetch": len(downloaded), "files": downloaded, "errors": errors}))
        if errors or len(downloaded) != len(table):
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
