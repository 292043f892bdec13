"""Cost per operation of the runtime, side by side (issue 2's benchmark).

    python benchmarks/loop_bench.py            # full sizes, best of 5
    python benchmarks/loop_bench.py --scale 0.1 --repeat 3

Rows:
* a bare ``collections.deque`` loop calling 1,000,000 callbacks (the floor);
* the same 1,000,000 calls through the loop as ``nextTick`` callbacks and as
  ``setImmediate`` macrotasks (with the drain check after each), and their
  ratio to the bare deque (target: within 3x);
* 100,000 ``.then`` hops down a chain that starts from a resolved promise;
* 100,000 ``await_`` round trips on a resolved promise (target: < 3 us);
* thread hand-offs, in wall time: 20,000 round trips of an empty job through
  a worker pool (the loop waits for its callback, as a SQL statement does)
  beside a bare ``queue.SimpleQueue`` ping-pong between two threads (the
  floor: two thread wake-ups).

Times are CPU time of this process (``time.process_time``), the best of
``--repeat`` interleaved rounds, so other processes competing for the CPU do
not decide the result.  Scheduling is included in every timing: the bare
loop appends its calls as the loop does.
"""

import argparse
import gc
import os
import platform
import sys
import time
from collections import deque

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import loopback_compat as lb  # noqa: E402

DISPATCH_TARGET_RATIO = 3.0
AWAIT_TARGET_US = 3.0


class Counter:
    """The callback every row calls: a small Python function, as user code is."""

    def __init__(self):
        self.total = 0

    def add(self, n):
        self.total += n


def bare_deque(n):
    counter = Counter()
    add = counter.add
    queue = deque()
    started = time.process_time()
    for i in range(n):
        queue.append((add, (i,)))
    while queue:
        fn, args = queue.popleft()
        fn(*args)
    elapsed = time.process_time() - started
    assert counter.total == n * (n - 1) // 2
    return elapsed


def loop_next_tick(n):
    counter = Counter()
    add = counter.add

    def main():
        nextTick = lb.nextTick
        for i in range(n):
            nextTick(add, i)
    started = time.process_time()
    lb.run(main)
    elapsed = time.process_time() - started
    assert counter.total == n * (n - 1) // 2
    return elapsed


def loop_set_immediate(n):
    counter = Counter()
    add = counter.add

    def main():
        setImmediate = lb.setImmediate
        for i in range(n):
            setImmediate(add, i)
    started = time.process_time()
    lb.run(main)
    elapsed = time.process_time() - started
    assert counter.total == n * (n - 1) // 2
    return elapsed


def then_hops(n):
    counter = Counter()

    def hop(value):
        counter.add(1)
        return value

    def main():
        promise = lb.Promise.resolve(0)
        for _ in range(n):
            promise = promise.then(hop)
    started = time.process_time()
    lb.run(main)
    elapsed = time.process_time() - started
    assert counter.total == n
    return elapsed


def await_round_trips(n):
    def main():
        promise = lb.Promise.resolve(1)
        await_ = lb.await_
        total = 0
        for _ in range(n):
            total += await_(promise)
        return total
    started = time.process_time()
    assert lb.run(main) == n
    return time.process_time() - started


def worker_round_trips(n):
    """Wall seconds for ``n`` empty jobs through a WorkerPool, one after another."""
    from loopback_compat.workers import WorkerPool
    pool = WorkerPool(size=1, name='bench-worker')
    left = [n]

    def step(err=None, _=None):
        if left[0]:
            left[0] -= 1
            pool.submit(int, (), step)
    started = time.perf_counter()
    lb.run(step)
    elapsed = time.perf_counter() - started
    pool.close()
    return elapsed


def thread_ping_pong(n):
    """Wall seconds for ``n`` round trips between two threads over SimpleQueues."""
    import queue
    import threading
    there, back = queue.SimpleQueue(), queue.SimpleQueue()

    def echo():
        while True:
            item = there.get()
            if item is None:
                return
            back.put(item)
    thread = threading.Thread(target=echo, daemon=True)
    thread.start()
    started = time.perf_counter()
    for i in range(n):
        there.put(i)
        back.get()
    elapsed = time.perf_counter() - started
    there.put(None)
    thread.join()
    return elapsed


def cpu_model():
    try:
        with open('/proc/cpuinfo') as info:
            for line in info:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def measure(rows, repeat):
    """Best time of each row over ``repeat`` interleaved rounds."""
    best = {name: float('inf') for name, _, _ in rows}
    for _ in range(repeat):
        for name, fn, n in rows:
            gc.collect()
            best[name] = min(best[name], fn(n))
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--scale', type=float, default=1.0, help='multiply every size')
    parser.add_argument('--repeat', type=int, default=5, help='rounds; the best is kept')
    options = parser.parse_args(argv)
    callbacks = max(1, int(1000000 * options.scale))
    hops = max(1, int(100000 * options.scale))
    rows = [
        ('bare deque', bare_deque, callbacks),
        ('loop nextTick', loop_next_tick, callbacks),
        ('loop setImmediate', loop_set_immediate, callbacks),
        ('Promise .then hop', then_hops, hops),
        ('await_ round trip', await_round_trips, hops),
    ]
    best = measure(rows, options.repeat)
    per_op = {name: best[name] / n * 1e6 for name, _, n in rows}

    print('machine: %s, %d CPUs, Python %s, greenlet %s' % (
        cpu_model(), os.cpu_count(), platform.python_version(), _greenlet_version()))
    print('best of %d rounds\n' % options.repeat)
    print('%-20s %10s %14s %10s' % ('operation', 'count', 'us per op', 'vs bare'))
    bare = per_op['bare deque']
    for name, _, n in rows:
        ratio = '%.2fx' % (per_op[name] / bare) if n == callbacks else ''
        print('%-20s %10d %14.3f %10s' % (name, n, per_op[name], ratio))

    verdicts = []
    for name in ('loop nextTick', 'loop setImmediate'):
        ratio = per_op[name] / bare
        verdicts.append(('%s within %.0fx of bare deque' % (name, DISPATCH_TARGET_RATIO),
                         ratio <= DISPATCH_TARGET_RATIO, '%.2fx' % ratio))
    verdicts.append(('await_ round trip under %.0f us' % AWAIT_TARGET_US,
                     per_op['await_ round trip'] < AWAIT_TARGET_US,
                     '%.3f us' % per_op['await_ round trip']))
    trips = max(1, int(20000 * options.scale))
    handoff = measure([('thread ping-pong', thread_ping_pong, trips),
                       ('worker round trip', worker_round_trips, trips)], options.repeat)
    print('\nthread hand-offs (wall time, best of %d)' % options.repeat)
    floor = handoff['thread ping-pong'] / trips * 1e6
    for name in ('thread ping-pong', 'worker round trip'):
        us = handoff[name] / trips * 1e6
        print('%-20s %10d %14.3f %10s' % (name, trips, us, '%.2fx' % (us / floor)))
    print()
    for text, ok, figure in verdicts:
        print('%-4s %s (%s)' % ('ok' if ok else 'MISS', text, figure))
    return 0 if all(ok for _, ok, _ in verdicts) else 1


def _greenlet_version():
    import greenlet
    return greenlet.__version__


if __name__ == '__main__':
    sys.exit(main())
