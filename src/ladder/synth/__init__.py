"""Synthetic NHS trust data: all six canonical datasets, calibrated to national patterns.

Use :func:`generate` with a :class:`SynthConfig`; ``ladder synth`` is the command-line front.
"""

from ladder.synth.generator import DATASETS, SynthConfig, SynthResult, TrustDone, generate, plan

__all__ = ["DATASETS", "SynthConfig", "SynthResult", "TrustDone", "generate", "plan"]
