#!/usr/bin/python3
"""
The vsobroker Fido client (clients/python) against a running broker: Fido.search through the client registered
by `import vsobroker` (time+instrument, time+wavelength, an OR of instruments through Fido and through the client's
one-request OR), then Fido.fetch of the first search. Prints one JSON line per search (records as provider/fileid,
the clients that answered, the warnings) and one for the fetch (sha256 and size of every downloaded file).
"""
import argparse
import hashlib
import json
import os
import sys
import tempfile
import warnings

import astropy.units as u


def arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("broker")
    parser.add_argument("start")
    parser.add_argument("end")
    parser.add_argument("--instrument", dest="instruments", action="append", default=[])
    parser.add_argument("--wave", nargs=2, type=float, default=[160.0, 180.0])
    return parser.parse_args()


def records(tables):
    return [{"provider": str(row["Provider"]), "fileid": str(row["fileid"])} for table in tables for row in table]


def main():
    args = arguments()
    os.environ["VSOBROKER_URL"] = args.broker
    import vsobroker  # registers the client with Fido
    from sunpy.net import Fido, attrs as a

    time = a.Time(args.start, args.end)
    first, second = args.instruments
    searches = {
        "time+instrument": lambda: Fido.search(time, a.Instrument(first)),
        "time+wavelength": lambda: Fido.search(time, a.Wavelength(args.wave[0] * u.AA, args.wave[1] * u.AA)),
        "fido-or": lambda: Fido.search(time & (a.Instrument(first) | a.Instrument(second))),
        "client-or": lambda: vsobroker.BrokerClient().search(time & (a.Instrument(first) | a.Instrument(second))),
        "skipping": lambda: Fido.search(time, a.Instrument(first), a.Provider("LEGACY")),
    }
    failed = False
    results = {}
    for name, run in searches.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = run()
        tables = [result] if isinstance(result, vsobroker.BrokerQueryResponse) else list(result)
        line = {"search": name, "records": records(tables), "clients": sorted({type(t.client).__name__ for t in tables}),
                "metas": [{k: v for k, v in t.meta.items() if k in ("queryId", "total", "returned", "truncated")} for t in tables],
                "text": str(tables[0]) if tables else "",
                "warnings": [f"{w.category.__name__}: {w.message}" for w in caught if issubclass(w.category, vsobroker.BrokerWarning)]}
        print(json.dumps(line))
        results[name] = result
        failed = failed or not line["records"]

    with tempfile.TemporaryDirectory() as tmp:
        files = Fido.fetch(results["time+instrument"], path=os.path.join(tmp, "{file}"), progress=False)
        downloaded = []
        for path in sorted(str(f) for f in files):
            with open(path, "rb") as handle:
                content = handle.read()
            downloaded.append({"name": os.path.basename(path), "size": len(content), "sha256": hashlib.sha256(content).hexdigest()})
        errors = [str(e) for e in getattr(files, "errors", [])]
        print(json.dumps({"fetch": len(downloaded), "files": downloaded, "errors": errors}))
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
