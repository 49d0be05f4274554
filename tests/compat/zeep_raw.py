#!/usr/bin/python3
"""Raw zeep (strict mode) against the broker's VSOi WSDL.

Usage: /usr/bin/python3 zeep_raw.py WSDL_URL [START END INSTRUMENT]
START and END are VSO times (YYYYMMDDHHMMSS); defaults 20100101000000 20100101010000 EIT.
Calls Query and GetData through zeep.Client(wsdl).service, checks the shapes sunpy relies on, and checks
that an invalid query comes back as the VSO core answers it: a provideritem with an error and no provider (sunpy
prints that as a warning). Exits non-zero on any failure.
"""
import json
import sys

import zeep
from zeep.exceptions import Fault

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
from compat_cli import arguments, fail  # noqa: E402


def main():
    wsdl, start, end, instrument = arguments(__doc__, "EIT")
    client = zeep.Client(wsdl)
    service = client.bind("VSOiService", "nsoVSOi")
    items = service.Query(body={"block": {"time": {"start": start, "end": end}, "instrument": instrument}})
    if not items:
        fail("Query returned no provideritem")
    found = []
    for item in items:
        if item.version is None:
            fail("provideritem without version")
        for rec in (item.record.recorditem if item.record is not None else []):
            if rec.size is None:
                fail("recorditem without size")
            if rec.time is None or not rec.time.start:
                fail("recorditem without time/start")
            found.append({"provider": rec.provider, "fileid": rec.fileid, "size": rec.size,
                          "wave": None if rec.wave is None else [rec.wave.wavemin, rec.wave.wavemax, rec.wave.waveunit]})
    print(json.dumps({"query": found}))
    if not found:
        fail("Query found no records")

    by_provider = {}
    for rec in found:
        by_provider.setdefault(rec["provider"], []).append(rec["fileid"])
    answer = service.GetData(body={"request": {
        "method": {"methodtype": ["URL-FILE", "URL"]},
        "info": {"email": "zeep"},
        "datacontainer": {"datarequestitem": [
            {"provider": p, "fileiditem": {"fileid": ids}} for p, ids in by_provider.items()]},
    }})
    urls = []
    for item in answer:
        if not (item.status or "").startswith("200"):
            fail(f"GetData status {item.status!r} details {item.details!r}")
        if item.method is None or not item.method.methodtype:
            fail("GetData item without method/methodtype")
        for data in item.getdataitem.dataitem:
            urls.append({"provider": data.provider, "fileid": data.fileiditem.fileid[0], "url": data.url})
    print(json.dumps({"getdata": urls}))
    if len(urls) != len(found):
        fail(f"{len(urls)} URLs for {len(found)} files")

    try:
        refused = service.Query(body={"block": {"time": {"start": "not-a-time", "end": "20100101010000"}}})
    except Fault as fault:
        fail(f"an invalid query is a Fault ({fault.message}), which sunpy does not show")
    if len(refused) != 1 or refused[0].provider is not None or not refused[0].error:
        fail(f"an invalid query is not one provider-less error item: {refused}")
    print(json.dumps({"error": refused[0].error}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
