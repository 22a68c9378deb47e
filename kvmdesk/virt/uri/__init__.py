"""Build libvirt URIs from form fields and check URIs before libvirt sees them.

A libvirt URI can make libvirt run programs and read files on this computer
(``command=``, ``netcat=``, the ``+ext`` transport, ``keyfile=`` ...) and can
switch off host-key or certificate checks (``no_verify=1``). A URI pasted
from elsewhere, or put together from form fields that hold surprises such
as a host name ``-oProxyCommand=...``, must therefore be checked first.

``check_uri`` accepts a deliberately small grammar, stricter than libvirt's:

* ``driver[+transport]://[user@][host][:port][/path][?name=value&...]``,
  no fragment; only the characters RFC 3986 allows, everything else
  percent-encoded; no ``%00`` or encoded control characters anywhere.
* transports: none (local or TLS), ``ssh``, ``libssh``, ``libssh2``,
  ``tls``, ``tcp``, ``unix``; ``ext`` only as an unsafe one.
* host: a DNS name in ASCII (letters, digits, hyphens; international names
  in their ``xn--`` form), an IPv4 address, or an IPv6 address in square
  brackets. IPv6 zone ids (``fe80::1%eth0``) are refused: libvirt and
  libxml2 do not agree on how a zone is written in a URI, so a link-local
  host must be reached through a global address or a DNS name.
* user: letters, digits, ``.``, ``_`` and ``-`` (not first); non-ASCII
  letters are allowed and percent-encoded as UTF-8.
* port: 1 to 65535, digits only, no leading zero.
* parameters: ``socket`` (an absolute path), ``mode`` (auto, legacy,
  direct), ``proxy`` (auto, netcat, native), ``no_tty`` (0, 1), ``sshauth``
  (agent, privkey, password, keyboard-interactive), ``no_verify=0`` and
  ``known_hosts_verify=normal``. Names are compared case-insensitively after
  percent-decoding, as libvirt does. Every other parameter is unsafe:
  refused unless the caller allows unsafe URIs, and then reported with a
  warning that says what it does. ``;`` as a parameter separator and
  repeated parameters are refused outright.

No Qt here; the texts are plain English for the layers above to show.

The modules:

``fields``
    the records: ``UriFields``, ``UriProblem`` and its ``UriCode``
``build``
    ``build_uri``: fields to URI text, nothing checked
``check``
    the rules for characters, user, host, port and path
``params``
    the rules for parameters, and the warnings about unsafe parts
``parse``
    ``parse_uri`` and ``check_uri``: the URI read part by part
"""

from __future__ import annotations

from kvmdesk.virt.uri.build import build_uri
from kvmdesk.virt.uri.fields import TRANSPORTS, UriCode, UriFields, UriProblem
from kvmdesk.virt.uri.parse import check_uri, parse_uri

__all__ = [
    "TRANSPORTS",
    "UriCode",
    "UriFields",
    "UriProblem",
    "build_uri",
    "check_uri",
    "parse_uri",
]
