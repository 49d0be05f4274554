#!/usr/bin/python3
"""An IDL/SSW-style client against the broker's tab-delimited door (vsoi_tabdelim).

Usage: /usr/bin/python3 idl_raw_envelope.py TABDELIM_URL [START END INSTRUMENT]
START and END are VSO times (YYYYMMDDHHMMSS); defaults 20100101000000 20100101010000 eit.
POSTs the hand-built envelopes IDL sends (default namespace, no body wrapper, xsi:nil, encoded GetData
arrays), parses the answers the way vso__define.pro does (a regex for <FlatTable>, CRLF CRLF between
providers, tabs between fields; GetData read from the children of every <data>), and exits non-zero on
any failure.
"""
import json
import re
import sys
import urllib.request
from xml.sax.saxutils import escape

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
from compat_cli import arguments, fail  # noqa: E402

URI = "http://virtualsolar.org/VSO/VSOi"
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns="' + URI + '" '
        'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">\n<SOAP-ENV:Body>\n')
TAIL = '\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n'

QUERY = ('<Query><block><time><start>%(start)s</start><end>%(end)s</end><near xsi:nil="1"/></time>'
         '<extent><x xsi:nil="1"/><y xsi:nil="1"/><width xsi:nil="1"/><length xsi:nil="1"/><type xsi:nil="1"/></extent>'
         '<wave><wavemin xsi:nil="1"/><wavemax xsi:nil="1"/><waveunit>Angstrom</waveunit><wavetype xsi:nil="1"/></wave>'
         '<instrument>%(instrument)s</instrument><provider xsi:nil="1"/><physobs xsi:nil="1"/><source xsi:nil="1"/><detector xsi:nil="1"/>'
         '<filter xsi:nil="1"/><sample>0</sample><level xsi:nil="1"/><resolution xsi:nil="1"/><pixels xsi:nil="1"/>'
         '<pixelscale xsi:nil="1"/><datatype xsi:nil="1"/><quicklook>0</quicklook><dark>0</dark><eclipse>0</eclipse>'
         '<exptime xsi:nil="1"/><percentd xsi:nil="1"/></block><version>0.600000</version></Query>')


def post(url, method, body):
    request = urllib.request.Request(url, data=(HEAD + body + TAIL).encode("utf-8"), method="POST", headers={
        "SOAPAction": '"' + URI + "#" + method + '"', "Accept": "text/xml", "Content-type": "text/xml",
        "User-Agent": "IDL/SOAP 1.0 on linux/x86_64"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode("utf-8")


def main():
    url, start, end, instrument = arguments(__doc__, "eit")
    text = post(url, "Query", QUERY % {"start": escape(start), "end": escape(end), "instrument": escape(instrument)})
    match = re.search(r"<FlatTable( [^>]*)?>([^<]*)</FlatTable>", text)
    if not match:
        fail("no <FlatTable> in the answer: " + text[:300])
    records = []
    for block in re.split("\r\n\r\n", match.group(2)):
        lines = [l for l in re.split("[\r\n]+", block) if l]
        header = lines[0].split("\t")
        if len(header) < 6:
            fail("header with fewer than 6 fields: %r" % lines[0])
        print(json.dumps({"provider": header[0], "found": header[2], "returned": header[3], "info": header[4], "error": header[5]}))
        for line in lines[1:]:
            fields = line.split("\t")
            if len(fields) != 23:
                fail("record with %d fields: %r" % (len(fields), line))
            float(fields[6])  # size is numeric
            if not re.match(r"^\d{14}$", fields[8]):
                fail("start time not YYYYMMDDHHMMSS: %r" % fields[8])
            records.append({"fileid": fields[0], "provider": fields[1]})
    print(json.dumps({"records": records}))
    if not records:
        fail("the FlatTable holds no records")

    providers = {}
    for r in records:
        providers.setdefault(r["provider"], []).append(r["fileid"])
    data = "".join(
        '<item><provider>%s</provider><fileid SOAP-ENC:arrayType="xsd:string[%d]" xsi:type="SOAP-ENC:Array">%s</fileid></item>'
        % (p, len(ids), "".join("<item>%s</item>" % i for i in ids)) for p, ids in providers.items())
    getdata = ('<GetData><request><version>0.600000</version><request>'
               '<data SOAP-ENC:arrayType="xsd:ur-type[%d]" xsi:type="SOAP-ENC:Array">%s</data>'
               '<method SOAP-ENC:arrayType="xsd:string[2]" xsi:type="SOAP-ENC:Array"><item>URL-FILE</item><item>URL</item></method>'
               '<info><email xsi:nil="1"/><site xsi:nil="1"/><required>idl-session-1</required></info>'
               '</request></request></GetData>') % (len(providers), data)
    text = post(url, "GetData", getdata)
    status = re.search(r"<status>([^<]*)</status>", text)
    if status and status.group(1):
        fail("IDL would stop on the first non-empty status: %r" % status.group(1))
    urls = re.findall(r"<item><provider>([^<]*)</provider><fileid>([^<]*)</fileid><url>([^<]*)</url>", text)
    print(json.dumps({"getdata": [{"provider": p, "fileid": f, "url": u} for p, f, u in urls]}))
    if len(urls) != len(records) or not all(u for _, _, u in urls):
        fail("%d URLs for %d records" % (len([u for _, _, u in urls if u]), len(records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
