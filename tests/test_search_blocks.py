"""How read-only batches are cut into blocks between which Ctrl-C is
honoured (metalfaiss._interrupt.in_blocks), on a simulated clock: a block of
b queries takes fixed + b * per_query seconds."""

import pytest

from metalfaiss import _interrupt
from metalfaiss._interrupt import Pace, in_blocks


class Simulated:
    def __init__(self, fixed, per_query):
        self.fixed, self.per_query, self.now, self.blocks = fixed, per_query, 0.0, []

    def clock(self):
        return self.now

    def run(self, lo, hi):
        self.blocks.append(hi - lo)
        self.now += self.fixed + (hi - lo) * self.per_query


def run_batch(sim, n, pace=None):
    in_blocks(n, sim.run, pace, clock=sim.clock)
    return sim.blocks


def test_every_query_is_run_once_in_order():
    seen = []
    in_blocks(1000, lambda lo, hi: seen.extend(range(lo, hi)), clock=Simulated(0.01, 0.001).clock)
    assert seen == list(range(1000))


def test_blocks_without_fixed_cost_take_about_block_seconds():
    sim = Simulated(0.0, 0.001)
    blocks = run_batch(sim, 5000)
    assert blocks[0] == _interrupt.FIRST_BLOCK
    assert all(abs(b - 250) <= 1 for b in blocks[1:-1]), blocks  # 0.25 s each


def test_blocks_grow_to_amortise_a_fixed_cost_within_the_latency_bound():
    # a flat search of 1,000 queries over 1M x 128 on 2 cores, as measured:
    # 0.33 s per pass over the database, 1.5 ms per query
    sim = Simulated(0.33, 0.0015)
    blocks = run_batch(sim, 10_000)
    largest = max(blocks)
    assert largest >= 400, blocks  # not the ~60-query blocks a 0.25 s target gives
    assert sim.fixed + largest * sim.per_query <= _interrupt.MAX_BLOCK_SECONDS + 1e-9
    assert sim.now < 10_000 * sim.per_query * 1.6, "fixed costs stay a small share of the batch"


def test_a_small_fixed_cost_is_amortised_to_its_share():
    sim = Simulated(0.01, 0.0001)
    blocks = run_batch(sim, 100_000)
    # 0.01 s must be at most a fifth of a block: 400 queries or more
    assert min(blocks[2:-1]) >= 0.01 * 4 / 0.0001 - 1, blocks


def test_the_pace_carries_over_to_the_next_batch():
    pace = Pace()
    run_batch(Simulated(0.33, 0.0015), 2000, pace)
    sim = Simulated(0.33, 0.0015)
    blocks = run_batch(sim, 2000, pace)
    assert blocks[0] > _interrupt.FIRST_BLOCK, "sized from the last batch at once"


@pytest.mark.parametrize("n", [0, 1, 7])
def test_small_batches_run_as_one_call(n):
    calls = []
    in_blocks(n, lambda lo, hi: calls.append((lo, hi)))
    assert calls == [(0, n)]
