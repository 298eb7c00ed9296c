"""The 25 key concepts of the seed, the vocabulary of a preset's ``concepts`` tags."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    group: str
    summary: str
    # Phrases that name the concept in prose, products included, as whole
    # words. A lowercase phrase matches in any case; one with a capital, an
    # acronym such as "CLIP" or "RAG", only as written (a video clip is not
    # CLIP). A trailing "*" lets the last word go on: "quantis*" names
    # quantised and quantisation.
    names: tuple[str, ...]


CONCEPT_GROUPS = (
    "MLOps infrastructure",
    "Real-time ML techniques",
    "Advanced ML patterns",
    "Production ML practice",
)

CONCEPTS: tuple[Concept, ...] = (
    Concept("feature_stores", "Feature stores", CONCEPT_GROUPS[0],
            "One definition of each feature, served offline for training and online at low latency.",
            names=("feature store*", "feature-store*", "feast", "tecton")),
    Concept("model_registries", "Model registries", CONCEPT_GROUPS[0],
            "A catalogue of trained models with lineage, stage and approval state.",
            names=("model registr*", "mlflow registry")),
    Concept("model_serving", "Model serving", CONCEPT_GROUPS[0],
            "Running inference behind an API with batching, autoscaling and version routing.",
            names=("model serving", "model-serving", "triton", "torchserve", "tf serving", "tf-serving", "tensorflow serving", "kserve", "vllm", "seldon")),
    Concept("container_orchestration", "Container orchestration", CONCEPT_GROUPS[0],
            "Scheduling training and serving workloads on a shared cluster.",
            names=("kubernetes", "k8s", "container orchestration")),
    Concept("stream_processing", "Stream processing", CONCEPT_GROUPS[0],
            "Computing on events as they arrive, for fresh features and fast feedback.",
            names=("stream processing", "flink", "kafka streams", "spark streaming", "spark structured streaming", "streaming job*", "streaming pipeline*", "streaming join*", "streaming aggregat*")),
    Concept("vector_databases", "Vector databases", CONCEPT_GROUPS[0],
            "Approximate nearest-neighbour search over embeddings at scale.",
            names=("vector database*", "vector index*", "vector store*", "vector search", "faiss", "scann", "hnsw", "milvus", "approximate nearest", "ANN")),
    Concept("online_learning", "Online learning", CONCEPT_GROUPS[1],
            "Updating model parameters incrementally from a live stream of labels.",
            names=("online learning", "online training", "incremental train*", "incremental updat*", "incrementally train*", "incrementally updat*", "continual train*", "continually train*")),
    Concept("multi_armed_bandits", "Multi-armed bandits", CONCEPT_GROUPS[1],
            "Balancing exploration of uncertain options against exploiting known good ones.",
            names=("bandit*", "thompson sampling", "epsilon-greedy", "UCB")),
    Concept("two_stage_architecture", "Two-stage architecture", CONCEPT_GROUPS[1],
            "Cheap candidate generation over everything, then an expensive ranker over a few hundred.",
            names=("two-stage", "candidate generation", "multi-stage")),
    Concept("embedding_based_retrieval", "Embedding-based retrieval", CONCEPT_GROUPS[1],
            "Finding related items by distance in a learned vector space.",
            names=("two-tower", "embedding-based retrieval", "embedding based retrieval", "embedding retrieval", "nearest-neighbour search", "nearest-neighbor search", "nearest-neighbour retrieval", "nearest-neighbour look*")),
    Concept("model_ensembling", "Model ensembling", CONCEPT_GROUPS[1],
            "Combining several models' outputs to beat any one of them.",
            names=("ensembl*", "stacker", "stacking")),
    Concept("ab_testing", "A/B testing", CONCEPT_GROUPS[1],
            "Randomised controlled experiments with sound statistics and guardrails.",
            names=("A/B",)),
    Concept("rag", "Retrieval-augmented generation", CONCEPT_GROUPS[2],
            "Grounding a language model's answer in documents retrieved at request time.",
            names=("retrieval-augmented", "RAG")),
    Concept("llm_fine_tuning", "Fine-tuning LLMs", CONCEPT_GROUPS[2],
            "Adapting a pretrained language model, often with parameter-efficient methods such as LoRA.",
            names=("fine-tuning llm*", "lora", "qlora", "RLHF", "SFT", "DPO", "instruction-tun*", "instruction tun*", "supervised fine-tun*")),
    Concept("federated_learning", "Federated learning", CONCEPT_GROUPS[2],
            "Training across devices that keep their raw data local.",
            names=("federated",)),
    Concept("model_compression", "Model compression", CONCEPT_GROUPS[2],
            "Quantisation, pruning and distillation to cut latency, memory and cost.",
            names=("model compression", "quantis*", "quantiz*", "distil*", "prune", "pruned", "pruning", "INT8", "FP8")),
    Concept("multimodal", "Multi-modal systems", CONCEPT_GROUPS[2],
            "Models that combine text, images, audio or video.",
            names=("multimodal", "multi-modal", "CLIP")),
    Concept("edge_ai", "Edge AI deployment", CONCEPT_GROUPS[2],
            "Running models on phones, cars or devices under tight compute and power budgets.",
            names=("on-device", "core ml", "tflite", "litert", "nnapi", "edge deployment", "edge inference", "edge ai")),
    Concept("data_drift_detection", "Data drift detection", CONCEPT_GROUPS[3],
            "Statistical tests that flag when live inputs stop looking like training data.",
            names=("drift*", "population stability", "PSI")),
    Concept("model_monitoring", "Model monitoring", CONCEPT_GROUPS[3],
            "Tracking live quality, calibration and bias, not only uptime.",
            names=("model monitoring",)),
    Concept("blue_green_deployment", "Blue-green deployment", CONCEPT_GROUPS[3],
            "Two full environments and an instant switch between them.",
            names=("blue-green", "blue/green")),
    Concept("canary_releases", "Canary releases", CONCEPT_GROUPS[3],
            "Sending a small, growing share of traffic to a new model while watching guardrails.",
            names=("canary", "canaries", "canaried", "canarying")),
    Concept("shadow_mode_testing", "Shadow mode testing", CONCEPT_GROUPS[3],
            "Scoring live traffic with a new model whose answers are logged but not used.",
            names=("shadow mode", "shadow traffic", "shadow test*", "shadow scor*", "shadow deploy*", "shadow model*", "shadow network*", "shadow run*", "in shadow")),
    Concept("feature_engineering_pipelines", "Feature engineering pipelines", CONCEPT_GROUPS[3],
            "Batch and streaming jobs that turn raw events into model features.",
            names=("feature pipeline*", "feature engineering pipeline*")),
    Concept("model_versioning", "Model versioning", CONCEPT_GROUPS[3],
            "Tying each model to its code, data and config so any version can be rebuilt or restored.",
            names=("model version*", "model_version", "versioned model*")),
)

CONCEPTS_BY_ID: dict[str, Concept] = {c.id: c for c in CONCEPTS}
