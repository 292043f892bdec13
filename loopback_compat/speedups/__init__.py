"""Speed tricks, in one place: C-level bulk loops and collector pauses.

These are the only modules that know how to run a per-row step as a loop
in C (``bulk``) or when to pause the cyclic garbage collector
(``gc_pause``: a pause around one batch, and a hold over the ticks of one
drain of the event loop, which only tells it when a drain ends).  Code
elsewhere calls them by name; it keeps no inline copy of a helper to save
a call.

A module with a fast path keeps exactly one general path beside it and
declares the fast one as such; a test checks that the fast path gives
what the general path gives:

    filters' _fast_normalize              tests/test_filters.py
    relations/include.py's _Job.*_fast    tests/test_fast_paths.py
    model/loading.py's _build_batch       tests/test_model.py, tests/test_fast_paths.py
    bulk's C loops                        tests/test_bulk.py, tests/test_fast_paths.py

The old homes ``loopback_compat.bulk`` and ``loopback_compat.gc_pause``
re-export these modules' names.
"""
