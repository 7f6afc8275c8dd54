"""Turning raw similarities into scores comparable across models.

Cosine scales differ per model (multilingual-e5 crowds into 0.7 to 0.9, others spread widely), so
no absolute threshold is carried from one model to another: similarities are standardised
within their pool (the candidates of one query) and passed through a logistic.
"""

import numpy as np
from numpy.typing import NDArray


def standardise(
    values: NDArray[np.float32], reference: NDArray[np.float32] | None = None
) -> NDArray[np.float32]:
    """Values in standard deviations from the mean of their pool (or of `reference`, the whole
    pool or a sample of it, when `values` are only its best candidates)."""
    pool = values if reference is None else reference
    spread = float(pool.std()) or 1.0
    z: NDArray[np.float32] = ((values - pool.mean()) / spread).astype(np.float32)
    return z


def calibrated(
    values: NDArray[np.float32],
    *,
    offset: float,
    slope: float = 1.5,
    reference: NDArray[np.float32] | None = None,
) -> NDArray[np.float64]:
    """Scores in (0, 1); `offset` is where the logistic crosses 0.5, in standard deviations."""
    z = standardise(values, reference).astype(np.float64)
    scores: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-(z - offset) * slope))
    return scores
