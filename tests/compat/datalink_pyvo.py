#!/usr/bin/python3
"""
pyvo (Debian) reading the broker's DataLink {links} answer: DatalinkResults.from_result_url, the #this and #preview
rows, the SODA service descriptor of the #cutout row (get_adhocservice_by_id), and the cut-out itself through
DatalinkRecord.process (pyvo fills the descriptor's input parameters and calls the provider's SODA service).
Prints one JSON line per step. Usage: datalink_pyvo.py LINKS_URL
"""
import json
import sys

import pyvo


def main():
    links = pyvo.dal.adhoc.DatalinkResults.from_result_url(sys.argv[1])
    rows = [{"id": str(r.id), "semantics": str(r.semantics), "access_url": r.access_url and str(r.access_url),
             "service_def": r.service_def and str(r.service_def), "error_message": r.error_message and str(r.error_message),
             "content_type": r.content_type and str(r.content_type)} for r in links]
    print(json.dumps({"step": "links", "rows": rows}))

    # (bysemantics would download the IVOA vocabulary: no network in the tests)
    cutout = next(r for r in links if r.semantics == "#cutout")
    service = links.get_adhocservice_by_id(cutout.service_def)
    params = {p.name: str(p.value) for p in service.params}
    inputs = {p.name: (p.value.decode() if isinstance(p.value, bytes) else str(p.value))
              for g in service.groups if g.name == "inputParams" for p in g.entries}
    print(json.dumps({"step": "service", "params": params, "inputs": inputs}))

    data = cutout.process(circle=(10.0, 20.0, 0.1)).read()
    print(json.dumps({"step": "process", "bytes": len(data), "fits": data[:6].decode("ascii", "replace")}))


if __name__ == "__main__":
    main()
