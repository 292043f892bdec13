"""workers.py: blocking calls on threads, completions back on the loop thread."""

import threading
import time

import pytest

import loopback_compat as lb
from loopback_compat import workers
from loopback_compat.promise import Promise


def on_pool(pool, fn, *args):
    """A promise of ``fn(*args)`` run on ``pool``."""
    def executor(resolve, reject):
        pool.submit(fn, args, lambda err, result: reject(err) if err else resolve(result))
    return Promise(executor)


def test_results_come_back_on_the_loop_thread_never_synchronously():
    pool = workers.WorkerPool(2, 'test-pool')
    loop_thread = threading.get_ident()
    seen = []

    def main():
        pool.submit(lambda: threading.get_ident(), (),
                    lambda err, worker: seen.append((err, worker, threading.get_ident())))
        seen.append('returned')
    lb.run(main)
    pool.close()
    assert seen[0] == 'returned'
    err, worker_thread, callback_thread = seen[1]
    assert err is None and worker_thread != loop_thread and callback_thread == loop_thread


def test_errors_are_delivered_not_raised_in_the_thread():
    pool = workers.WorkerPool(1, 'test-pool')

    def boom():
        raise ValueError('bad')

    def main():
        try:
            lb.await_(on_pool(pool, boom))
        except ValueError as err:
            return str(err)
    assert lb.run(main) == 'bad'
    pool.close()


def test_pending_work_keeps_the_loop_alive_and_threads_run_in_parallel():
    pool = workers.WorkerPool(4, 'test-pool')
    done = []

    def main():
        started = time.monotonic()
        for i in range(4):
            pool.submit(time.sleep, (0.2,), lambda err, _, i=i: done.append(i))
        return started
    started = lb.run(main)   # main returns at once; run waits for the work
    elapsed = time.monotonic() - started
    pool.close()
    assert sorted(done) == [0, 1, 2, 3]
    assert elapsed < 0.6


def test_batch_runs_calls_in_order_in_one_hand_off():
    pool = workers.WorkerPool(3, 'test-pool')
    out = []

    def main():
        pool.submit_batch([(out.append, (1,)), (out.append, (2,)), (lambda: sum(out), ())],
                          lambda err, results: out.append(('done', err, results)))
    lb.run(main)
    pool.close()
    assert out == [1, 2, ('done', None, [None, None, 3])]


def test_thread_context_and_exit_stay_on_their_thread():
    events = []
    pool = workers.WorkerPool(1, 'test-lane', thread_init=lambda: threading.get_ident(),
                              thread_exit=lambda ctx: events.append(ctx == threading.get_ident()))

    def main():
        a = lb.await_(on_pool(pool, lambda: pool.context() == threading.get_ident()))
        b = lb.await_(on_pool(pool, lambda: pool.context()))
        return a, b
    same, ctx = lb.run(main)
    pool.close()
    pool.join(5)
    assert same is True and isinstance(ctx, int)
    assert events == [True]
    assert pool.context() is None   # not a worker thread


def test_closed_pool_reports_an_error():
    pool = workers.WorkerPool(1, 'test-pool')
    pool.close()
    seen = []
    lb.run(lambda: pool.submit(lambda: 1, (), lambda err, r: seen.append(err)))
    assert isinstance(seen[0], RuntimeError)


def test_default_size_follows_uv_threadpool_size(monkeypatch):
    monkeypatch.setenv('UV_THREADPOOL_SIZE', '7')
    assert workers.WorkerPool().size == 7
    monkeypatch.delenv('UV_THREADPOOL_SIZE')
    assert workers.WorkerPool().size == 4
    old = workers.default_pool()
    try:
        assert workers.set_default_size(2).size == 2
        assert workers.default_pool().size == 2
    finally:
        workers.set_default_size(old.size)
    with pytest.raises(ValueError):
        workers.WorkerPool(size=-1)
