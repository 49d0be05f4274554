#!/usr/bin/python3
"""sunpy 4.1.2 VSOClient against the broker's VSOi SOAP door.

Usage: /usr/bin/python3 sunpy_vso_client.py WSDL_URL [START END] [--instrument NAME]... [--wave MIN MAX]
                                             [--fetch SEARCH] [--fetch-max N]
Runs three searches (time + the first instrument, time + wavelength range in Angstrom, an OR of the first two
instruments), prints the records (provider, fileid) of each as JSON, then fetches the records of one search
(default time+instrument, at most --fetch-max of them) to a temporary directory and prints every downloaded
file's name, size and SHA-256. Defaults: 2010/01/01 00:00-01:00, instruments EIT and LASCO, 160-180 Angstrom.
Exits non-zero when a search fails or comes back empty, or a download fails.
"""
import argparse
import hashlib
import json
import os
import sys
import tempfile
import warnings

import astropy.units as u
from sunpy.net import attrs as a
from sunpy.net.vso import VSOClient


def records(table):
    return [{"provider": str(row["Provider"]), "fileid": str(row["fileid"])} for row in table]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wsdl")
    parser.add_argument("start", nargs="?", default="2010/01/01 00:00")
    parser.add_argument("end", nargs="?", default="2010/01/01 01:00")
    parser.add_argument("--instrument", action="append", dest="instruments")
    parser.add_argument("--wave", nargs=2, type=float, default=[160.0, 180.0], metavar=("MIN", "MAX"))
    parser.add_argument("--fetch", default="time+instrument", help="the search whose records are fetched ('' = none)")
    parser.add_argument("--fetch-max", type=int, default=0, help="fetch at most N records (0 = all)")
    args = parser.parse_args()
    args.instruments = args.instruments or ["EIT", "LASCO"]
    if len(args.instruments) < 2:
        parser.error("give two instruments (the OR search needs both)")
    return args


def main():
    args = arguments()
    client = VSOClient(url=args.wsdl, port="nsoVSOi")
    time = a.Time(args.start, args.end)
    first, second = args.instruments[0], args.instruments[1]
    searches = {
        "time+instrument": [time, a.Instrument(first)],
        "time+wavelength": [time, a.Wavelength(args.wave[0] * u.AA, args.wave[1] * u.AA)],
        "or-of-instruments": [time & (a.Instrument(first) | a.Instrument(second))],
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

    if args.fetch:
        table = tables[args.fetch]
        if args.fetch_max > 0:
            table = table[:args.fetch_max]
        with tempfile.TemporaryDirectory() as tmp:
            files = client.fetch(table, path=os.path.join(tmp, "{file}"), progress=False)
            downloaded = []
            for path in sorted(str(f) for f in files):
                with open(path, "rb") as handle:
                    content = handle.read()
                downloaded.append({"name": os.path.basename(path), "size": len(content),
                                   "sha256": hashlib.sha256(content).hexdigest()})
            errors = [str(e) for e in getattr(files, "errors", [])]
            print(json.dumps({"fetch": len(downloaded), "asked": len(table), "files": downloaded, "errors": errors}))
            if errors or len(downloaded) != len(table):
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
