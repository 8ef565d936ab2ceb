"""The Python module's lifetime under threads and callbacks, as a hostile
user would drive it. Prints TAP.

 1. Release racing an operation: one thread runs tobytes / hex / unpack_as /
    == (they drop the GIL) while another calls release() and then resizes
    the exporter. An operation in flight pins the view: release() raises
    BufferError until it ends, and the exporter cannot resize before the
    release succeeds. Under ASan (the sanitizer build runs this too), a
    use-after-free shows as a report; in any build a wrong result or a
    resize that succeeds while the view holds the buffer fails the test.
 2. Re-entrant release: an exporter whose __del__ (run by the release of its
    buffer) calls back into the view finds it released (ValueError), never
    freed memory.
 3. Sizes that overflow and separators memoryview accepts.

usage: lifetime_test.py [--races N] [--seed S]   (with the built module on PYTHONPATH)"""
import argparse
import random
import sys
import threading

import ndview

try:
    import numpy as np
except ImportError:
    np = None


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, detail=""):
        self.n += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, what))
        if not cond:
            self.failed += 1
            if detail:
                print("#   " + detail)


def race(tap, races, seed):
    """Two threads meet at a barrier each round: one operates, one releases."""
    rnd = random.Random(seed)
    size = 1 << 16
    barrier = threading.Barrier(2)
    state = {"view": None, "data": None, "errors": [], "stop": False, "op": 0}
    expect = {}

    def operate():
        while True:
            barrier.wait()
            if state["stop"]:
                return
            v, op = state["view"], state["op"]
            try:
                if op == 0:
                    r = v.tobytes()
                    good = r == expect["bytes"]
                elif op == 1:
                    r = v.hex()
                    good = r == expect["hex"]
                elif op == 2:
                    r = bytes(v.unpack_as("u64"))
                    good = len(r) == 8 * size
                else:  # a view released first compares unequal, as memoryview's
                    good = (v == expect["bytes"]) in (True, False)
                if not good:
                    state["errors"].append("op %d gave a wrong result" % op)
            except ValueError:
                pass  # released before the operation started: memoryview's answer
            barrier.wait()

    worker = threading.Thread(target=operate)
    worker.start()
    refused = resized_early = 0
    try:
        for i in range(races):
            fill = rnd.randrange(256)
            data = bytearray([fill]) * size
            expect["bytes"] = bytes(data)
            expect["hex"] = expect["bytes"].hex()
            state["view"] = ndview.View(data)
            state["op"] = i % 4
            barrier.wait()
            while True:  # release as soon as the operation lets go
                try:
                    state["view"].release()
                    break
                except BufferError:
                    refused += 1
                    try:  # the exporter must still be locked
                        data.append(0)
                        resized_early += 1
                    except BufferError:
                        pass
            data.extend(b"x" * size)  # released: resizing works again
            del data[:]
            barrier.wait()
    finally:
        state["stop"] = True
        barrier.wait()
        worker.join()
    tap.ok(not state["errors"] and not resized_early,
           "%d release-vs-operation races (%d releases refused while busy)" % (races, refused),
           "; ".join(state["errors"][:5]) + (" resized while busy %d times" % resized_early))


def reentrant(tap):
    calls = {}

    class Exporter(bytearray):
        def __del__(self):
            v = holder["view"]
            for name, f in (("tobytes", v.tobytes), ("hex", v.hex), ("tolist", v.tolist),
                            ("memoryview", lambda: memoryview(v)),
                            ("View", lambda: ndview.View(v))):
                try:
                    f()
                    calls[name] = "no error"
                except ValueError:
                    calls[name] = "ValueError"
                except Exception as e:  # noqa: BLE001 (any other class is a bug)
                    calls[name] = type(e).__name__
            try:
                v.release()
                calls["release"] = "ok"
            except Exception as e:  # noqa: BLE001
                calls["release"] = type(e).__name__

    holder = {}
    e = Exporter(b"abcdefgh")
    holder["view"] = ndview.View(e)
    del e  # the View's Py_buffer holds the only reference now
    holder["view"].release()  # runs Exporter.__del__ from inside the release
    want = {"tobytes": "ValueError", "hex": "ValueError", "tolist": "ValueError",
            "memoryview": "ValueError", "View": "ValueError", "release": "ok"}
    tap.ok(calls == want, "an exporter's __del__ calling back into the view being released",
           "got %r" % calls)


def sizes_and_separators(tap):
    data = bytes(range(256)) * 3
    v, m = ndview.View(data), memoryview(data)
    seps = ["\x00", b"\x00", ":", "\x7f", b" "]
    got = [(v.hex(s, k), m.hex(s, k)) for s in seps for k in (1, 2, -5)]
    tap.ok(all(a == b for a, b in got), "hex separators as memoryview's (NUL included)")
    if np is None:
        print("ok %d - # SKIP NumPy is not installed" % (tap.n + 1))
        tap.n += 1
        return
    huge = np.broadcast_to(np.int8(1), (1 << 61,))
    v = ndview.View(huge)
    try:
        v.unpack_as("i64")
        what = "no error"
    except OverflowError:
        what = "OverflowError"
    except Exception as e:  # noqa: BLE001
        what = "%s: %s" % (type(e).__name__, e)
    tap.ok(what == "OverflowError", "unpack_as of 2^61 zero-stride items: OverflowError", what)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--races", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    args = ap.parse_args()
    print("# seed %d" % args.seed)
    tap = Tap()
    race(tap, args.races, args.seed)
    reentrant(tap)
    sizes_and_separators(tap)
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
