"""CxrPacsAgent training toolkit: trains classifiers on tensors the C# preprocessing exported and writes model packages.

Deterministic preprocessing lives only in C# (`cxr-agent export-tensors`); this package adds only the random
augmentations, the training loop and the ONNX/model.json export.
"""
