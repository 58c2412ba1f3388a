"""Python's websockets client through the gateway: permessage-deflate, greeting, text and binary echo, a close 4003.

Usage: echo_client.py ws://host:port/path ; prints one line per check, and "ok" at the end.
"""
import asyncio
import sys

import websockets


async def main(uri):
    async with websockets.connect(uri, subprotocols=["chat"], max_size=None) as ws:
        print("subprotocol", ws.subprotocol)
        print("extensions", ws.response_headers["Sec-WebSocket-Extensions"].split(";")[0])
        print("greeting", await ws.recv())
        await ws.send("from python")
        print("text", await ws.recv())
        await ws.send(bytes(range(256)) * 4096)
        echoed = await ws.recv()
        print("binary", len(echoed), echoed == bytes(range(256)) * 4096)
        await ws.close(code=4003, reason="python done")
        print("closed", ws.close_code)
    print("ok")


asyncio.run(asyncio.wait_for(main(sys.argv[1]), 20))
