"""Calls Dateline makes to other servers (webhooks, hub pings, purges): never to a private address unless allowed.

The host is resolved once, every address it resolves to is checked, and the connection goes to the checked address
(so a name that resolves to a public address for the check and to 127.0.0.1 for the call cannot slip through).
Redirects are not followed: a redirect could point inside the network.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_BODY = 64 * 1024  # of a response: enough for an error message, no more held in memory


class Refused(Exception):
    """An address Dateline will not call."""


# What a call that could not be made or answered raises (besides Refused).
FAILURES = (OSError, http.client.HTTPException, ValueError)


@dataclass
class Response:
    status: int
    body: bytes


def checked_address(host, port, allow_private):
    """The address to connect to for `host`; Refused when any address it resolves to is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise Refused(f"{host} does not resolve: {error.strerror}") from None
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise Refused(f"{host} is a private or loopback address ({address})")
    return addresses[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def request(method, url, *, body=b"", headers=None, timeout=10, allow_private=False):
    """One HTTP request; Refused for a URL Dateline will not call, OSError (or http.client's) when it fails."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"not an http(s) URL: {url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = checked_address(parts.hostname, port, allow_private)
    connection_class = PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, timeout)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.read(MAX_BODY))
    finally:
        connection.close()
