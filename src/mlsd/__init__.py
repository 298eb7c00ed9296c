"""mlsd: scaffold machine-learning system design documents."""

__version__ = "0.1.0"
