"""
A Fido client for the VSO federated search broker.

``import vsobroker`` registers :class:`BrokerClient` with ``sunpy.net.Fido``: one query goes to the broker's REST
API, which asks every provider in parallel, merges and de-duplicates their answers, and says how each provider
did. Fido then fetches through the broker's GetData URLs with parfive.

The broker's address comes from the ``url`` argument of :class:`BrokerClient` or the ``VSOBROKER_URL``
environment variable (default ``http://127.0.0.1:8080``).

The broker covers the VSO's own providers, so importing this package takes SunPy's ``VSOClient`` out of Fido's
registry (the same records would otherwise come twice); :func:`restore_vso` puts it back.
"""
from vsobroker.client import BrokerClient, BrokerQueryResponse, BrokerWarning, restore_vso, take_vso_out_of_fido

__all__ = ["BrokerClient", "BrokerQueryResponse", "BrokerWarning", "restore_vso"]

take_vso_out_of_fido()
