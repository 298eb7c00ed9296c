"""The 25 key concepts of the seed, the vocabulary of a preset's ``concepts`` tags."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    group: str
    summary: str
    # How prose names the concept: a case-sensitive regular expression over
    # the terms a reader would take to mean it, products included.
    names: str


CONCEPT_GROUPS = (
    "MLOps infrastructure",
    "Real-time ML techniques",
    "Advanced ML patterns",
    "Production ML practice",
)

CONCEPTS: tuple[Concept, ...] = (
    Concept("feature_stores", "Feature stores", CONCEPT_GROUPS[0],
            "One definition of each feature, served offline for training and online at low latency.",
            names=r"[Ff]eature[- ]stores?\b|\bFeast\b|\bTecton\b"),
    Concept("model_registries", "Model registries", CONCEPT_GROUPS[0],
            "A catalogue of trained models with lineage, stage and approval state.",
            names=r"[Mm]odel registr|MLflow (model )?registry"),
    Concept("model_serving", "Model serving", CONCEPT_GROUPS[0],
            "Running inference behind an API with batching, autoscaling and version routing.",
            names=r"[Mm]odel[- ]serving|\bTriton\b|TorchServe|TF[- ]Serving|TensorFlow Serving|KServe|\bvLLM\b|\bSeldon\b"),
    Concept("container_orchestration", "Container orchestration", CONCEPT_GROUPS[0],
            "Scheduling training and serving workloads on a shared cluster.",
            names=r"Kubernetes|\bk8s\b|[Cc]ontainer orchestration"),
    Concept("stream_processing", "Stream processing", CONCEPT_GROUPS[0],
            "Computing on events as they arrive, for fresh features and fast feedback.",
            names=r"[Ss]tream processing|\bFlink\b|Kafka Streams|Spark (Structured )?Streaming|[Ss]treaming (job|pipeline|join|aggregat)"),
    Concept("vector_databases", "Vector databases", CONCEPT_GROUPS[0],
            "Approximate nearest-neighbour search over embeddings at scale.",
            names=r"[Vv]ector (database|index|store|search)|\bFAISS\b|\bScaNN\b|\bHNSW\b|\bMilvus\b|[Aa]pproximate nearest|\bANN\b"),
    Concept("online_learning", "Online learning", CONCEPT_GROUPS[1],
            "Updating model parameters incrementally from a live stream of labels.",
            names=r"[Oo]nline learning|[Oo]nline training|[Ii]ncremental(ly)? (train|updat|fine)|[Cc]ontinual(ly)? train"),
    Concept("multi_armed_bandits", "Multi-armed bandits", CONCEPT_GROUPS[1],
            "Balancing exploration of uncertain options against exploiting known good ones.",
            names=r"[Bb]andit|Thompson sampling|[Ee]psilon-greedy|\bUCB\b"),
    Concept("two_stage_architecture", "Two-stage architecture", CONCEPT_GROUPS[1],
            "Cheap candidate generation over everything, then an expensive ranker over a few hundred.",
            names=r"[Tt]wo-stage|[Cc]andidate generation|[Mm]ulti-stage"),
    Concept("embedding_based_retrieval", "Embedding-based retrieval", CONCEPT_GROUPS[1],
            "Finding related items by distance in a learned vector space.",
            names=r"[Tt]wo-tower|[Ee]mbedding[- ]based retrieval|[Ee]mbedding retrieval|[Nn]earest-neighbou?r (search|retrieval|look-?up)"),
    Concept("model_ensembling", "Model ensembling", CONCEPT_GROUPS[1],
            "Combining several models' outputs to beat any one of them.",
            names=r"[Ee]nsembl|[Ss]tacker\b|[Ss]tacking\b"),
    Concept("ab_testing", "A/B testing", CONCEPT_GROUPS[1],
            "Randomised controlled experiments with sound statistics and guardrails.",
            names=r"\bA/B\b"),
    Concept("rag", "Retrieval-augmented generation", CONCEPT_GROUPS[2],
            "Grounding a language model's answer in documents retrieved at request time.",
            names=r"[Rr]etrieval-augmented|\bRAG\b"),
    Concept("llm_fine_tuning", "Fine-tuning LLMs", CONCEPT_GROUPS[2],
            "Adapting a pretrained language model, often with parameter-efficient methods such as LoRA.",
            names=r"[Ff]ine-tuning LLMs?|\bQ?LoRA\b|\bRLHF\b|\bSFT\b|\bDPO\b|[Ii]nstruction[- ]tun|[Ss]upervised fine-tun"),
    Concept("federated_learning", "Federated learning", CONCEPT_GROUPS[2],
            "Training across devices that keep their raw data local.",
            names=r"[Ff]ederated"),
    Concept("model_compression", "Model compression", CONCEPT_GROUPS[2],
            "Quantisation, pruning and distillation to cut latency, memory and cost.",
            names=r"[Mm]odel compression|[Qq]uanti[sz]|[Dd]istil|\b[Pp]run(e|ed|ing)\b|\bINT8\b|\bFP8\b"),
    Concept("multimodal", "Multi-modal systems", CONCEPT_GROUPS[2],
            "Models that combine text, images, audio or video.",
            names=r"[Mm]ulti-?modal|\bCLIP\b"),
    Concept("edge_ai", "Edge AI deployment", CONCEPT_GROUPS[2],
            "Running models on phones, cars or devices under tight compute and power budgets.",
            names=r"[Oo]n-device|\bCore ML\b|\bTFLite\b|\bLiteRT\b|\bNNAPI\b|[Ee]dge (deployment|inference|AI)"),
    Concept("data_drift_detection", "Data drift detection", CONCEPT_GROUPS[3],
            "Statistical tests that flag when live inputs stop looking like training data.",
            names=r"\b[Dd]rift|[Pp]opulation stability|\bPSI\b"),
    Concept("model_monitoring", "Model monitoring", CONCEPT_GROUPS[3],
            "Tracking live quality, calibration and bias, not only uptime.",
            names=r"[Mm]odel monitoring"),
    Concept("blue_green_deployment", "Blue-green deployment", CONCEPT_GROUPS[3],
            "Two full environments and an instant switch between them.",
            names=r"[Bb]lue-green|[Bb]lue/green"),
    Concept("canary_releases", "Canary releases", CONCEPT_GROUPS[3],
            "Sending a small, growing share of traffic to a new model while watching guardrails.",
            names=r"[Cc]anar(y|ies)"),
    Concept("shadow_mode_testing", "Shadow mode testing", CONCEPT_GROUPS[3],
            "Scoring live traffic with a new model whose answers are logged but not used.",
            names=r"\b[Ss]hadow (mode|traffic|test|scor|deploy|model|network|run)|\bin shadow\b|^shadow$"),
    Concept("feature_engineering_pipelines", "Feature engineering pipelines", CONCEPT_GROUPS[3],
            "Batch and streaming jobs that turn raw events into model features.",
            names=r"[Ff]eature (engineering )?pipeline"),
    Concept("model_versioning", "Model versioning", CONCEPT_GROUPS[3],
            "Tying each model to its code, data and config so any version can be rebuilt or restored.",
            names=r"[Mm]odel[ _]version|[Vv]ersioned model"),
)

CONCEPTS_BY_ID: dict[str, Concept] = {c.id: c for c in CONCEPTS}
