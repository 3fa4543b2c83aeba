"""Runs moto's server on 127.0.0.1:PORT until the process that started it goes away.

Used by the test harness and by `make dev`, so an emulator never outlives whoever needed it.
Prints "ready" once the server accepts requests.
"""
import os
import sys
import time
import urllib.request

from moto.server import ThreadedMotoServer


def main() -> None:
    port = int(sys.argv[1])
    parent = os.getppid()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}/moto-api/"
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except Exception:
            time.sleep(0.05)
    print("ready", flush=True)
    try:
        while os.getppid() == parent:
            time.sleep(0.5)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
