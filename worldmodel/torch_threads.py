"""Run small torch workloads on one thread.

The tensors of law fitting and of the agents' policies are small; on a 2-core machine the
thread pool's synchronisation costs far more than it saves (measured 5-10x slower).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import torch


@contextmanager
def single_threaded() -> Iterator[None]:
    """Run the block with torch on one thread, then restore the previous setting."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
