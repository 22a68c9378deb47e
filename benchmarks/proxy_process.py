"""The tests' TCP proxy (``tests/integration/tcpproxy.py``) in a process of its own.

In the measured process the proxy's threads (four per link, Python for
every chunk) would compete with kvmdesk's GUI thread for the interpreter
lock and count in its CPU time: fifty links through them are the test
bed's cost, not the window's. ``ProxyProcess`` has the controls the fleet
scenario uses; ``python -m benchmarks.proxy_process PORT`` is its child,
which prints its own port, then answers "ok" to each command line and
exits when its input closes.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from benchmarks.common import ROOT


class ProxyProcess:
    def __init__(self, target_port: int) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.proxy_process", str(target_port)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line.strip().isdigit():
            self.close()
            raise RuntimeError(f"the proxy process did not start: {line!r}")
        self.port = int(line)

    def _say(self, *words: object) -> str:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(" ".join(str(w) for w in words) + "\n")
        self._proc.stdin.flush()
        answer = self._proc.stdout.readline().strip()
        if not answer.startswith("ok"):
            raise RuntimeError(f"the proxy process answered {answer!r}")
        return answer[2:].strip()

    def set_latency(self, seconds: float) -> None:
        self._say("latency", seconds)

    def black_hole(self) -> None:
        self._say("black_hole")

    def restore(self) -> None:
        self._say("restore")

    @property
    def turns(self) -> int:
        return int(self._say("turns"))

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> ProxyProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    from tcpproxy import TcpProxy  # type: ignore[import-not-found]

    with TcpProxy(int(argv[0])) as proxy:
        print(proxy.port, flush=True)
        commands: dict[str, Any] = {
            "latency": lambda s: proxy.set_latency(float(s)),
            "black_hole": proxy.black_hole,
            "restore": proxy.restore,
            "turns": lambda: proxy.turns,
        }
        for line in sys.stdin:
            name, *args = line.split()
            result = commands[name](*args)
            print("ok" if result is None else f"ok {result}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
