"""The sunpy.net client: query translation, the broker's REST calls, the result table and fetching."""
import http.cookiejar
import json
import os
import urllib.error
import urllib.request
import warnings
from collections import OrderedDict
from pathlib import Path

import astropy.units as u
from astropy.time import Time
from sunpy import config
from sunpy.net import attr as _attr
from sunpy.net import attrs as a
from sunpy.net.base_client import BaseClient, QueryResponseRow, QueryResponseTable
from sunpy.net.vso import attrs as vso_attrs
from sunpy.util.exceptions import SunpyUserWarning

__all__ = ["BrokerClient", "BrokerQueryResponse", "BrokerWarning", "restore_vso"]

DEFAULT_URL = "http://127.0.0.1:8080"

# sunpy attr -> the broker's search parameter(s)
_SIMPLE = {
    a.Instrument: "instrument", a.Provider: "provider", a.Source: "source", a.Detector: "detector",
    a.Physobs: "physobs", a.Level: "level", a.Resolution: "resolution",
    vso_attrs.Pixels: "pixels", vso_attrs.Filter: "filter",
}
_SUPPORTED = {a.Time, a.Wavelength, a.Sample, vso_attrs.Extent, *_SIMPLE}


class BrokerWarning(SunpyUserWarning):
    """A provider that was skipped, failed or timed out, or an answer cut by a limit."""


class BrokerQueryResponse(QueryResponseTable):
    """The broker's merged records. ``meta`` holds the query id, counts and each provider's status line."""

    hide_keys = ["fileid", "url"]
    size_column = "Size"

    def summary(self):
        """One line per provider and the counts: what the broker says about this answer."""
        meta = self.meta
        total = meta.get("total")
        exact = "" if meta.get("totalExact", True) else "≥"
        lines = [f"Broker query {meta.get('queryId')}: {meta.get('returned', len(self))} of {exact}{total} records"
                 + (f" (truncated, {meta.get('truncatedPercent')} % not returned)" if meta.get("truncated") else "")]
        for p in meta.get("providers", []):
            line = f"  {p['id']}: {p['status']}, {p.get('records', 0)} records"
            if "found" in p:
                line += f" of {'' if p.get('foundExact', True) else '≥'}{p['found']} found"
            if p.get("message"):
                line += f" ({p['message']})"
            lines.append(line)
        return "\n".join(lines)

    def __str__(self):
        return self.summary() + "\n" + super().__str__()

    def __repr__(self):
        return self.summary() + "\n" + super().__repr__()


def _block(query_and):
    """One AND of sunpy attrs -> one broker block (the search's parameter names)."""
    attrs = query_and.attrs if isinstance(query_and, _attr.AttrAnd) else [query_and]
    block = {}
    for at in attrs:
        if isinstance(at, a.Time):
            block["start"] = _iso(at.start)
            block["end"] = _iso(at.end)
            if getattr(at, "near", None) is not None:
                block["near"] = _iso(at.near)
        elif isinstance(at, a.Wavelength):
            block["wavemin"] = repr(at.min.to_value(u.AA, equivalencies=u.spectral()))
            block["wavemax"] = repr(at.max.to_value(u.AA, equivalencies=u.spectral()))
            block["waveunit"] = "Angstrom"
        elif isinstance(at, a.Sample):
            block["sample"] = repr(float(at.value))
        elif isinstance(at, vso_attrs.Extent):
            for name in ("x", "y", "width", "length", "type"):
                value = getattr(at, name, None)
                if value is not None:
                    block[f"extent.{name}"] = str(value)
        elif type(at) in _SIMPLE:
            block[_SIMPLE[type(at)]] = str(at.value)
        else:
            raise ValueError(f"the broker cannot search by {type(at).__name__}")
    if "start" not in block:
        raise ValueError("every query needs a.Time")
    return block


def _iso(t):
    return Time(t).utc.isot + "Z"


def _time(text):
    return Time(text.rstrip("Z"), format="isot", scale="utc") if text else None


class BrokerClient(BaseClient):
    """
    Searches the VSO federated search broker with one query (the broker fans it out to every provider in
    parallel and merges the answers) and fetches the files through its GetData URLs.

    Parameters
    ----------
    url : str, optional
        The broker, e.g. ``https://broker.example.org``; default ``$VSOBROKER_URL`` or http://127.0.0.1:8080.
    limit : int, optional
        Most records per search (the broker's default when None).
    providers : list of str, optional
        Only these provider ids are asked.
    timeout : float
        Seconds to wait for the broker's answer.
    """

    def __init__(self, url=None, limit=None, providers=None, timeout=120):
        self.url = (url or os.environ.get("VSOBROKER_URL") or DEFAULT_URL).rstrip("/")
        self.limit = limit
        self.providers = list(providers) if providers else None
        self.timeout = timeout
        # The broker keeps a session (cookie): history and paging of this client's queries.
        self._http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    @property
    def info_url(self):
        return self.url

    def __repr__(self):
        return f"<vsobroker.BrokerClient url={self.url!r}>"

    def __str__(self):
        return repr(self)

    def _post(self, path, body):
        request = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with self._http.open(request, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            try:
                problem = json.load(e)
                message = problem.get("detail") or problem.get("title") or str(e)
            except ValueError:
                message = str(e)
            raise ValueError(f"the broker refused the query ({e.code}): {message}") from None

    def search(self, *query):
        """Sends the query (an AND of attrs, or an OR of ANDs via ``|``) to the broker as one request."""
        query = _attr.and_(*query)
        blocks = [_block(q) for q in (query.attrs if isinstance(query, _attr.AttrOr) else [query])]
        body = {"blocks": blocks}
        if self.limit is not None:
            body["limit"] = int(self.limit)
        if self.providers:
            body["providers"] = self.providers
        answer = self._post("/api/v1/search", body)
        self._warn(answer)
        return self._table(answer)

    def _warn(self, answer):
        for p in answer.get("providers", []):
            if p["status"] not in ("ok", "empty"):
                warnings.warn(f"provider {p['id']}: {p['status']}" + (f": {p['message']}" if p.get("message") else ""),
                              BrokerWarning, stacklevel=3)
        if answer.get("truncated"):
            warnings.warn(f"the answer was cut: {answer.get('returned')} of {answer.get('total')} records returned"
                          " (raise the limit or narrow the query)", BrokerWarning, stacklevel=3)

    def _table(self, answer):
        rows = []
        for r in answer.get("records", []):
            wave = (r.get("waveMin"), r.get("waveMax"))
            rows.append(OrderedDict([
                ("Start Time", _time(r.get("start"))), ("End Time", _time(r.get("end"))),
                ("Source", r.get("source", "")), ("Instrument", r.get("instrument", "")),
                ("Detector", r.get("detector", "")), ("Physobs", r.get("physobs", "")), ("Level", r.get("level", "")),
                ("Wavelength", u.Quantity([w if w is not None else float("nan") for w in wave], u.AA)),
                ("Provider", r["provider"]), ("Size", (r["sizeKb"] if r.get("sizeKb") is not None else float("nan")) * u.kB),
                ("Info", r.get("info", "")), ("fileid", r["fileId"]), ("url", r.get("downloadUrl", "")),
            ]))
        table = BrokerQueryResponse(rows, client=self) if rows else BrokerQueryResponse(client=self)
        table.meta.update({k: v for k, v in answer.items() if k != "records"})
        return table

    def fetch(self, query_results, *, path=None, downloader=None, wait=True, overwrite=False, progress=True, **kwargs):
        """Resolves the records' file ids through the broker's GetData and downloads them with parfive."""
        from parfive import Downloader

        if isinstance(query_results, QueryResponseRow):
            query_results = query_results.as_table()
        own = downloader is None
        if own:
            downloader = Downloader(progress=progress, overwrite=overwrite)
        if len(query_results) == 0:
            return downloader.download() if own or wait else None

        groups = OrderedDict()
        for row in query_results:
            groups.setdefault(str(row["Provider"]), []).append(str(row["fileid"]))
        answer = self._post("/api/v1/getdata", {"files": [{"provider": p, "fileIds": ids} for p, ids in groups.items()]})
        urls = {}
        for group in answer.get("providers", []):
            for f in group.get("files", []):
                # "unverified": a URL built from the id without a lookup at the provider; parfive reports it if it fails
                if f.get("status") in ("ok", "unverified") and f.get("url"):
                    urls[(group["id"], f["fileId"])] = f["url"]
                else:
                    warnings.warn(f"{group['id']} {f['fileId']}: {f.get('status')}"
                                  + (f": {f['detail']}" if f.get("detail") else ""), BrokerWarning, stacklevel=2)

        template = Path(path) if path is not None else Path(config.get("downloads", "download_dir")) / "{file}"
        if "{file}" not in str(template):
            template = template / "{file}"
        for row in query_results:
            url = urls.get((str(row["Provider"]), str(row["fileid"])))
            if url is None:
                continue
            fields = row.response_block_map
            fields["file"] = _safe_name(str(row["fileid"]))
            target = Path(str(template.expanduser()).format(**fields))
            downloader.enqueue_file(url, path=target.parent, filename=target.name)
        if own or wait:
            return downloader.download()
        return None

    @classmethod
    def _can_handle_query(cls, *query):
        return all(type(q) in _SUPPORTED for q in query) and any(isinstance(q, a.Time) for q in query)

    @classmethod
    def register_values(cls):
        return {}


def _safe_name(file_id):
    name = "".join(c if c.isalnum() or c in "._-" else "_" for c in file_id).lstrip(".")
    return name[:200] or "file"


_vso_registration = {}


def take_vso_out_of_fido():
    """The broker answers for the VSO's providers: Fido stops asking the VSO directly (restore_vso undoes it)."""
    from sunpy.net import Fido
    from sunpy.net.vso import VSOClient

    if VSOClient in Fido.registry:
        _vso_registration[VSOClient] = Fido.registry.pop(VSOClient)


def restore_vso():
    """Puts SunPy's VSOClient back into Fido's registry."""
    from sunpy.net import Fido

    Fido.registry.update(_vso_registration)
    _vso_registration.clear()
