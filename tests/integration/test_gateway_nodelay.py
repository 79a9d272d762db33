"""The gateway's connections send at once (TCP_NODELAY) however uvicorn made the listener.

With ZHIBIAO_HTTP_WORKERS > 1 uvicorn binds the listening socket itself (Config.bind_socket,
proto 0) and asyncio then leaves Nagle on: every keep-alive request after the first waited
40 ms for the client's delayed acknowledgement (uvicorn issue 3149)."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest
import uvicorn

from services.gateway.http11 import GatewayH11Protocol

pytestmark = pytest.mark.integration


async def _ok(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


def test_a_listener_bound_as_the_workers_bind_it_serves_without_nagle():
    config = uvicorn.Config(_ok, host="127.0.0.1", port=0, log_level="warning", http=GatewayH11Protocol, lifespan="off")
    listener = config.bind_socket()  # what `workers > 1` hands each worker process
    assert listener.proto == 0  # the cause: were uvicorn to set IPPROTO_TCP, this test may go
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", listener.getsockname()[1], timeout=10)
        for _ in range(3):  # keep-alive: the requests after the first are the ones Nagle delayed
            conn.request("GET", "/")
            assert conn.getresponse().read() == b"ok"
        (protocol,) = server.server_state.connections
        accepted = protocol.transport.get_extra_info("socket")
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        conn.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
