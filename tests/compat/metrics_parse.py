#!/usr/bin/python3
"""Fetches the broker's /metrics twice and parses it with Debian's python3-prometheus-client.

Usage: /usr/bin/python3 metrics_parse.py METRICS_URL
1. Accept: text/plain (Prometheus text format 0.0.4), parsed by prometheus_client.parser;
2. Accept: application/openmetrics-text, parsed by prometheus_client.openmetrics.parser (which rejects clashing
   names, interleaved families and a missing "# EOF").
Prints one JSON line per format: {"format", "contentType", "families": {name: {"type", "samples": [...]}}} with the
samples of the broker's own families and of the HTTP server request histogram. Exits non-zero when a parser fails.
"""
import json
import sys
import urllib.request

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_text

FORMATS = [
    ("text", "text/plain; version=0.0.4", parse_text),
    ("openmetrics", "application/openmetrics-text; version=1.0.0; charset=utf-8", parse_openmetrics),
]


def fetch(url, accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("Content-Type", ""), response.read().decode("utf-8")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    url = sys.argv[1]
    for name, accept, parse in FORMATS:
        content_type, body = fetch(url, accept)
        try:
            families = list(parse(body))
        except Exception as e:  # the parser's own message says which line is wrong
            sys.exit(f"{name} parser rejected /metrics: {e!r}\n--- body ---\n{body}")
        wanted = {}
        for family in families:
            keep = family.name.startswith("broker_") or family.name.startswith("http_server_request_duration")
            wanted[family.name] = {
                "type": family.type,
                "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples] if keep else [],
            }
        print(json.dumps({"format": name, "contentType": content_type, "families": wanted}))


if __name__ == "__main__":
    main()
