"""The preset categories: id -> the label listings and documents show, in prompt order.

A module of its own so that listing presets can label them without loading the schema.
"""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "custom": "Custom system",
    "personalization": "Real-Time Personalization & Recommendation",
    "feeds": "Real-Time Ranking & Feed",
    "vision": "Computer Vision & Multimodal",
    "prediction": "Real-Time Prediction & Detection",
    "nlp": "Conversational AI & NLP",
    "mlops": "MLOps & Infrastructure",
}
