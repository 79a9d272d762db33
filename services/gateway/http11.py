"""uvicorn's HTTP/1.1 protocol, with the contract's error shape for requests it cannot parse.

A URL must be ASCII: `curl 'http://…/v1/documents?region=杭州市'` sends the UTF-8 bytes
as they are, which the parser refuses before any route runs; uvicorn answers that with a
text/plain "Invalid HTTP request received.". This says what is wrong and how to write it.
"""

from __future__ import annotations

import json
import socket

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

RAW_URL = (
    "the URL holds characters that are not ASCII (such as Chinese written as it is): percent-encode "
    "them, e.g. region=%E6%9D%AD%E5%B7%9E%E5%B8%82 for 杭州市, or let curl do it with "
    "-G --data-urlencode 'region=杭州市' (URL 中含有未编码的中文等非 ASCII 字符：请先进行百分号编码)"
)
UNPARSABLE = "the request is not valid HTTP/1.1 (请求不是有效的 HTTP 请求)"


def bad_request_body(head: bytes) -> bytes:
    """The error body for a request the parser refused; `head` is what arrived of it."""
    request_line = head.split(b"\r\n", 1)[0].split(b"\n", 1)[0]
    raw = any(b >= 0x80 for b in request_line)
    message = RAW_URL if raw else UNPARSABLE
    return json.dumps(
        {"error": {"code": "invalid_url" if raw else "bad_request", "message": message}}, ensure_ascii=False
    ).encode("utf-8")


class GatewayH11Protocol(H11Protocol):
    _head = b""

    def connection_made(self, transport) -> None:
        # With ZHIBIAO_HTTP_WORKERS > 1 uvicorn binds the listening socket itself, with proto 0;
        # accepted sockets inherit it, and asyncio turns Nagle off only on those that say
        # IPPROTO_TCP (uvicorn issue 3149). Nagle then holds a response's body until the client
        # acknowledges its head, which a client delays by 40 ms: every keep-alive request after
        # the first took 44 ms. Set here, it holds however the listener was made.
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:  # the start of a request's head, for send_400_response
            self._head = (data if not self.conn.trailing_data[0] else self._head + data)[:8192]
        super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        body = bad_request_body(self._head)
        event = h11.Response(
            status_code=400,
            reason=b"Bad Request",
            headers=[
                (b"content-type", b"application/json"),
                (b"connection", b"close"),
                (b"content-length", str(len(body)).encode()),
            ],
        )
        self.transport.write(self.conn.send(event))
        self.transport.write(self.conn.send(h11.Data(data=body)))
        self.transport.write(self.conn.send(h11.EndOfMessage()))
        self.transport.close()
