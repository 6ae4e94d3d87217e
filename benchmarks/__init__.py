"""Benchmarks: print numbers; never asserted in tests (timings on shared machines are noisy)."""
