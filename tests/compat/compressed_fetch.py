#!/usr/bin/python3
"""Fetches a URL asking for one content coding and decodes the answer with Python's own decoders.

Usage: /usr/bin/python3 compressed_fetch.py URL ENCODING     (ENCODING: gzip or br)
urllib does not decompress by itself: the raw bytes are decoded with gzip (standard library) or brotli (Debian's
python3-brotli). Prints one JSON line: {"encoding", "contentEncoding", "contentType", "compressedBytes",
"decodedBytes", "sha256", "records"} where records is the length of "records" for a JSON answer (else null).
"""
import gzip
import hashlib
import json
import sys
import urllib.request

import brotli


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("gzip", "br"):
        sys.exit(__doc__)
    url, encoding = sys.argv[1], sys.argv[2]
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=60) as response:
        raw = response.read()
        content_encoding = response.headers.get("Content-Encoding")
        content_type = response.headers.get("Content-Type", "")
    if content_encoding != encoding:
        sys.exit(f"asked for {encoding}, got Content-Encoding {content_encoding!r}")
    body = gzip.decompress(raw) if encoding == "gzip" else brotli.decompress(raw)
    records = len(json.loads(body)["records"]) if content_type.startswith("application/json") else None
    print(json.dumps({
        "encoding": encoding, "contentEncoding": content_encoding, "contentType": content_type,
        "compressedBytes": len(raw), "decodedBytes": len(body), "sha256": hashlib.sha256(body).hexdigest(),
        "records": records,
    }))


if __name__ == "__main__":
    main()
