"""Every preset covers the topics a strong interviewer probes for its family.

The check reads the design's own text (the interview coaching, the study list
and the concept tags left out, since they talk about a topic rather than
design it) and looks for each topic in the words designs use for it. A match
does not prove the topic is handled well; a miss shows it is not there at
all, which is what this guards against. A topic that does not apply to one
system is excused here with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import PRESET_FILES, load_yaml

RECOMMENDERS = {
    "negative sampling": r"negative sampl|in-batch|sampled softmax|hard negatives?|negatives (are )?(drawn|sampled|mined)"
    r"|random negatives|negative down-?sampl|downsampl|low-confidence negative|every (unwatched|unplayed|unclicked) \w+ (is|as)"
    r"|unclicked impressions|negatives are never sampled",
    "sampling-bias correction": r"log ?q\b|log-q|sampling[- ]bias|sampling probabilit|frequency correction|bias correction"
    r"|power 0\.75|recalibrat|log-frequency|corrected by the log|correct(s|ed)? (its|the) softmax|mapped back"
    r"|sampling (is )?by user"
    r"|popularity[^.]{0,40}correct|correct[^.]{0,40}popularity",
    "position and exposure bias": r"position bias|position effect|exposure bias|presentation bias|position propensit"
    r"|position correction|position tower|by position|per position|per slot|every slot|each slot|slot effect",
    "verification on randomised traffic": r"randomi[sz]ed|shuffl|exploration (slice|bucket|traffic)|random (traffic|bucket|slice|order)",
    "evaluation of what the old system chose": r"off-policy|counterfactual|inverse propensity|propensit|logging policy"
    r"|self-normali[sz]ed|snips|(old|current|production) (system|ranker|model) (chose|showed|never showed)",
    "cold start for users": r"new (users?|members?|viewers?|listeners?|shoppers?|accounts?|sign-?ups?)\b|logged[- ]out"
    r"|signed[- ]out|first (session|week)|onboarding|no history|(user|viewer|member) cold[- ]start"
    r"|cold[- ]start (users?|viewers?|members?)",
    "cold start for items": r"new (items?|videos?|uploads?|posts?|pins?|tweets?|listings?|products?|titles?|tracks?"
    r"|episodes?|ads?|creatives?|creators?|media|content|stories|lenses)\b|fresh (uploads?|posts?|items?|videos?|content)"
    r"|item cold[- ]start|cold[- ]start (items?|videos?|posts?)",
    "seen and duplicate filtering": r"already (seen|watched|shown|viewed|bought|played|connected|saved)|seen|dedup|de-dup"
    r"|duplicate|frequency cap|recently played|previously (shown|watched)",
    "value formula and its weights": r"value (formula|function|model|score)|weighted sum|blend weight|product score"
    r"|objective weights|head weights|ecpm|multi-objective|combined score|final score|weights? (are |is )?tuned"
    r"|weight[^.]{0,30}(screened|tuned|set by|chosen)",
    "feedback loop": r"feedback (loop|effect)|\bloop\b|self-reinforc|reinforces|rich[- ]get[- ]richer|echo chamber"
    r"|filter bubble|lock in|trained on (its|their) own|learns? (only )?from (its|their) own"
    r"|own (past )?(exposure|recommendations|rankings|orderings|choices|pages)|edges it created|rows it built",
}
ADS = {
    "auction": r"auction",
    "calibration": r"calibrat",
    "delayed conversions": r"delayed[- ]conversion|delayed feedback|conversion delay|attribution window|late conversion",
}
ON_DEVICE = {
    "device tiers": r"\btiers?\b|hardware generation|hw3|hw4",
    "thermal limits": r"thermal",
    "battery": r"battery|power draw|watts?\b",
    "model download and update": r"download|over-the-air|\bota\b",
    "quantisation and its accuracy cost": r"quanti[sz]|int8|int4|fp16",
}
AUTONOMY = {
    "ISO 26262": r"iso 26262",
    "SOTIF": r"sotif|iso 21448",
    "UL 4600": r"ul 4600",
    "operational design domain": r"operational design domain",
    "minimal-risk fallback": r"minimal[- ]risk",
    "prediction of road users and its metrics": r"\bade\b|\bfde\b|minade|miss rate",
    "simulation and its validity": r"simulat[^.]{0,80}(valid|real|gap|fidelity)|sim-to-real|real-to-sim",
}
PREDICTION = {
    "label delay and maturity": r"label (delay|maturity|age)|matur|delayed label|labels? (arrive|land|settle)"
    r"|label is provisional|provisional labels?",
}
LANGUAGE = {
    "golden set": r"golden|frozen[^.]{0,40}(set|test|evaluation)|(evaluation|test) sets?[^.]{0,40}(frozen|versioned)"
    r"|devtest",
    "regression gate": r"\bgates?\b|gated",
    "guardrails": r"guardrail|filter|safety",
    "prompt injection": r"prompt injection|injection|injected|never (parsed|treated|executed) as a (request|command)",
    "token budget": r"token",
    "batching": r"batch",
    "decoding": r"decod|beam|greedy|speculative",
}
PLATFORMS = {
    "tenancy": r"tenan",
    "isolation": r"isolat|namespace|(its|their) own (share|queue|quota|pool|namespace)|noisy neighbo"
    r"|own (slot )?reservation|cannot (delay|stall|starve|slow) (anyone|any other|other)",
    "SLO tiers": r"slo tier|tiered slo|\btiers?\b",
    "error budgets": r"error budget",
    "quotas": r"quota",
    "chargeback": r"chargeback|showback|charge back",
    "onboarding": r"onboard",
    "migration": r"migrat",
    "blast radius": r"blast radius|in waves|waves? by tier|volunteer (teams |cohorts )?first|at most \d+ (gpus?|hosts?|pods?) per"
    r"|crowds? (out )?(the )?(others|other|tier)",
}
FAMILY_TOPICS = {
    "feeds": RECOMMENDERS,
    "personalization": RECOMMENDERS,
    "prediction": PREDICTION,
    "nlp": LANGUAGE,
    "mlops": PLATFORMS,
}
PRESET_TOPICS = {
    "tiktok_ad_ranking": ADS,
    "instagram_story_filters": ON_DEVICE,
    "snapchat_lenses": ON_DEVICE,
    "tesla_autopilot": {**ON_DEVICE, **AUTONOMY},
    "stripe_fraud_detection": {"cost matrix": r"cost matrix|cost of a (false|missed)", "threshold": r"threshold",
                               "who pays for exploration": r"explor|release"},
    "doordash_demand_forecasting": {"hierarchical reconciliation": r"reconcil",
                                    "count distribution": r"poisson|negative binomial|tweedie|count distribution"},
    "airbnb_dynamic_pricing": {"identifying price effects": r"identif|instrument|randomi[sz]ed price|price experiment|exogenous",
                               "feedback of its own prices": r"feedback|its own (price|suggest)"},
    "uber_eta": {"censoring": r"censor",
                 "selection bias": r"selection bias|selected by|probability of dispatch|not dispatched never"},
    "google_translate": {"output stability": r"stabil|flicker|re-?translat|revis"},
}
# (preset, topic) -> why the topic does not apply to that system.
EXCUSED: dict[tuple[str, str], str] = {
    ("voice_assistant", "token budget"): "The pipeline runs no large language model, since open conversation is out "
    "of scope, so there are no tokens to budget; each stage has a share of the latency budget instead.",
    ("tesla_autopilot", "battery"): "The computer draws from the car's traction battery, a small load beside the "
    "drive; the binding limits are its compute budget per frame and its cooling, covered as thermal limits.",
    ("spotify_music_recommendation", "sampling-bias correction"): "Taste vectors come from implicit ALS, where every "
    "unplayed track is a weighted negative; nothing is sampled, so there is no sampling bias to correct.",
    ("linkedin_pymk", "cold start for items"): "The candidates are members, so a new member as a candidate is the item "
    "cold start, and the design's new-member path (school and employer candidates, handled as candidates too) covers it.",
}


def _design_text(value: Any, top: bool = True) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if top and key in ("interview", "study", "concepts"):
                continue
            yield from _design_text(item, top=False)
    elif isinstance(value, list):
        for item in value:
            yield from _design_text(item, top=False)


def _topics(preset: dict[str, Any]) -> dict[str, str]:
    return {**FAMILY_TOPICS.get(preset["category"], {}), **PRESET_TOPICS.get(preset["id"], {})}


@pytest.mark.parametrize("path", PRESET_FILES, ids=lambda p: p.stem)
def test_every_family_topic_is_in_the_design(path: Path) -> None:
    preset = load_yaml(path)
    text = "\n".join(_design_text(preset)).lower()
    missing = [
        topic for topic, pattern in _topics(preset).items()
        if (preset["id"], topic) not in EXCUSED and not re.search(pattern, text)
    ]
    assert not missing, f"{preset['id']} does not cover: {', '.join(missing)}"


def test_every_worked_preset_has_family_topics() -> None:
    uncovered = [p.stem for p in PRESET_FILES if p.stem != "blank" and not _topics(load_yaml(p))]
    vision_server_side = {"pinterest_visual_search", "street_view_blurring"}
    assert set(uncovered) <= vision_server_side, uncovered


def test_an_excuse_names_a_topic_that_exists() -> None:
    for (preset_id, topic), reason in EXCUSED.items():
        preset = load_yaml(next(p for p in PRESET_FILES if p.stem == preset_id))
        assert topic in _topics(preset) and len(reason.split()) >= 8
