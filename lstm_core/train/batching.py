"""Examples → padded integer batches with masks, and the one-hot inputs the cells read.

Sequences are right-padded: a sequence of length L occupies steps 0 … L-1 and the padding comes after,
so (the cells being causal) the padding cannot change any real step's hidden state, and padded steps
carry no target (``targets = -1``), hence zero loss and zero gradient. The pad token has id
``len(vocab)`` and a zero one-hot vector.

Batch order is a pure function of (seed, step): epoch e = step // steps_per_epoch visits the examples
in the order of ``default_rng((seed, 2, e)).permutation(N)``, so a resumed run sees the same batches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.tasks.base import Example


@dataclass(frozen=True, eq=False)
class Batch:
    """Token ids (B, T) (pad = vocab size), class targets (B, T) (-1 = not scored), lengths (B,)."""

    ids: np.ndarray
    targets: np.ndarray
    lengths: np.ndarray

    @property
    def mask(self) -> np.ndarray:
        """(B, T) true at scored steps."""
        return self.targets >= 0

    def last_targets(self) -> np.ndarray:
        """The target at each sequence's own last real step, (B,)."""
        rows = np.arange(len(self.lengths))
        out = self.targets[rows, self.lengths - 1]
        if (out < 0).any():
            raise ValueError("a sequence has no target at its last step; use the per-step loss")
        return out


@dataclass(frozen=True, eq=False)
class Encoded:
    """A whole example set as padded arrays (N, T_max); ``take`` slices batches out of it."""

    ids: np.ndarray  # (N, T_max) int32
    targets: np.ndarray  # (N, T_max) int32
    lengths: np.ndarray  # (N,) int64
    vocab_size: int  # D
    n_classes: int  # K

    def __len__(self) -> int:
        return int(self.lengths.shape[0])

    def take(self, index: np.ndarray) -> Batch:
        """The examples at ``index`` as a batch padded to its own longest sequence."""
        index = np.asarray(index)
        lengths = self.lengths[index]
        T = int(lengths.max())
        return Batch(self.ids[index, :T], self.targets[index, :T], lengths)


def encode(examples: tuple[Example, ...], vocab: tuple[str, ...], classes: tuple[str, ...]) -> Encoded:
    """Integer arrays of ``examples``. Unknown tokens map to ``"<unk>"`` when ``vocab`` has it;
    otherwise, like unknown target classes, they raise ``ValueError``."""
    if not examples:
        raise ValueError("no examples to encode")
    tok_index = {tok: k for k, tok in enumerate(vocab)}
    cls_index = {c: k for k, c in enumerate(classes)}
    unk = tok_index.get("<unk>")
    N, T = len(examples), max(len(ex.tokens) for ex in examples)
    ids = np.full((N, T), len(vocab), dtype=np.int32)
    targets = np.full((N, T), -1, dtype=np.int32)
    lengths = np.empty(N, dtype=np.int64)
    for n, ex in enumerate(examples):
        row = [tok_index.get(tok, unk) for tok in ex.tokens]
        if None in row:
            bad = sorted({t for t in ex.tokens if t not in tok_index})
            raise ValueError(f"example {n} has token(s) {bad[:5]} outside the vocabulary")
        ids[n, : len(row)] = row
        for t, target in enumerate(ex.targets):
            if target is not None:
                if target not in cls_index:
                    raise ValueError(f"example {n} has target {target!r} outside the classes")
                targets[n, t] = cls_index[target]
        lengths[n] = len(row)
    return Encoded(ids, targets, lengths, len(vocab), len(classes))


def one_hot_table(vocab_size: int, dtype: object) -> np.ndarray:
    """(D + 1, D): row k is the one-hot vector of token k; the last row (the pad token) is zeros."""
    return np.eye(vocab_size + 1, vocab_size, dtype=dtype)


def one_hot(ids: np.ndarray, table: np.ndarray) -> np.ndarray:
    """One-hot inputs (B, T, D) of token ids (B, T), using ``one_hot_table``."""
    return table[ids]


def batch_index(n: int, batch_size: int, seed: int, step: int) -> np.ndarray:
    """The example indices of training step ``step`` (0-based): a pure function of its arguments."""
    if n <= batch_size:
        return np.arange(n)
    per_epoch = n // batch_size
    epoch, k = divmod(step, per_epoch)
    order = np.random.default_rng((seed, 2, epoch)).permutation(n)
    return order[k * batch_size : (k + 1) * batch_size]
