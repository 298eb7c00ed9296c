"""The Jinja extension cookiecutter loads: filters and globals backed by mlsd.

Plain ``cookiecutter`` reaches this module through ``mlsd_cookiecutter_bridge``
at the template root, so the template and the CLI share one implementation.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

from mlsd.answers import answers_json, install_source, interview_length, purpose_of, truthy
from mlsd.document import build_document
from mlsd.errors import MlsdError
from mlsd.figures.skeleton import parse_kinds, skeleton_workloads, split_overrides
from mlsd.interview import DEFAULT_INTERVIEW_MINUTES
from mlsd.markdown import code_span, name_cell, one_line, table_cell
from mlsd.naming import derive_slug
from mlsd.overrides import apply_overrides, decode
from mlsd.practice_skeleton import practice_preset
from mlsd.presets import BLANK_ID, PresetCatalogue, load_blank, resolve_preset
from mlsd.references import resolve_references
from mlsd.template_cache import use_template_cache

FALLBACK_NAME = "My ML System"
_template_root: Path | None = None


def remember_template_root(root: Path) -> None:
    """Record the template root the bridge was loaded from (used while prompting)."""
    global _template_root
    _template_root = root


def template_root_for(context: dict[str, Any] | None) -> Path:
    repo_dir = (context or {}).get("_repo_dir")
    if repo_dir and (Path(repo_dir) / "presets").is_dir():
        return Path(repo_dir)
    if _template_root is None:
        raise MlsdError("the mlsd template root is unknown; load the extension through mlsd_cookiecutter_bridge")
    return _template_root


def catalogue_for(context: dict[str, Any] | None = None) -> PresetCatalogue:
    """The presets of the template being rendered."""
    return PresetCatalogue([template_root_for(context) / "presets"])


def default_name(preset_id: str) -> str:
    """The preset's own system name, the default answer to the name prompt."""
    try:
        return catalogue_for().load(str(preset_id))["system_name"]
    except MlsdError:
        # The pre-generation hook reports a broken or unknown preset in one line;
        # a prompt default is no place for a traceback.
        return FALLBACK_NAME


def template_root() -> str:
    """The template root as text, for hooks: cruft renders without ``_repo_dir``."""
    return str(template_root_for(None))


def import_root() -> str:
    """The directory holding the ``mlsd`` package, for hooks to put on ``sys.path``."""
    return str(Path(__file__).resolve().parent.parent)


def _preset_answers(context: dict[str, Any]) -> tuple[str, str, str, str, bool, str]:
    """What selects the preset: template root, id, team file, overrides, practice, workload kinds."""
    return (
        str(template_root_for(context)),
        str(context.get("preset", "")),
        str(context.get("_mlsd_preset_file") or ""),
        str(context.get("_mlsd_overrides") or ""),
        purpose_of(context) == "practice",
        str(context.get("workload_kinds") or ""),
    )


def preset_for(context: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The preset the answers in ``context`` select: by id or a team's file, with overrides,
    reduced to its practice skeleton when the practice answer is yes."""
    return _preset(*_preset_answers(context))


@lru_cache(maxsize=64)
def _preset(
    root: str, preset_id: str, preset_file: str, overrides: str, practice: bool, kinds: str
) -> tuple[str, dict[str, Any]]:
    catalogue = PresetCatalogue([Path(root) / "presets"])
    early, filled = split_overrides(preset_id == BLANK_ID and not preset_file, decode(overrides))
    resolved_id, preset = resolve_preset(catalogue, preset_id, preset_file=preset_file or None, overrides=early)
    if resolved_id == BLANK_ID and not preset_file:
        # The skeleton asks for the inputs of the kinds the answers chose.
        preset = {**preset, "workloads": skeleton_workloads(parse_kinds(kinds))}
        preset = apply_overrides(preset, filled) if filled else preset
    # Prose names figures (${feed.peak_qps}); every document shows the figure itself.
    preset = resolve_references(preset)
    if practice and resolved_id != BLANK_ID:
        preset = practice_preset(preset, load_blank(catalogue.builtin_dir))
    return resolved_id, preset


@lru_cache(maxsize=64)
def _document(
    root: str,
    preset_id: str,
    preset_file: str,
    overrides: str,
    practice: bool,
    kinds: str,
    guidance: bool,
    interview_minutes: int,
    work: bool,
) -> dict[str, Any]:
    resolved_id, preset = _preset(root, preset_id, preset_file, overrides, practice, kinds)
    return build_document(
        preset,
        preset_id=resolved_id,
        guidance=guidance,
        interview_minutes=interview_minutes,
        practice=practice,
        work=work,
    )


def document(cookiecutter: dict[str, Any]) -> dict[str, Any]:
    """The view model for the answers in ``cookiecutter`` (cached per answer set)."""
    return _document(
        *_preset_answers(cookiecutter),
        truthy(cookiecutter.get("guidance", True)),
        interview_length(cookiecutter.get("interview_minutes", DEFAULT_INTERVIEW_MINUTES)),
        purpose_of(cookiecutter) == "work",
    )


# The project template's directory, and the one its includes are found in.
PROJECT_TEMPLATE_DIR = "{{cookiecutter.system_slug}}"
INCLUDES_DIR = "templates"


def render_file(context: dict[str, Any], relative: str) -> str:
    """One file of the project template rendered for the answers in ``context``,
    in this process and without cookiecutter.

    The loader paths, settings and extension are the ones cookiecutter renders
    with, so the text is what generation writes (tests compare the two); this
    lets ``mlsd sync`` rewrite a derived file without generating the whole repo.
    """
    from jinja2 import FileSystemLoader, StrictUndefined

    root = template_root_for(context)
    environment = Environment(
        loader=FileSystemLoader([str(root / PROJECT_TEMPLATE_DIR), str(root / INCLUDES_DIR)]),
        extensions=[MlsdExtension],
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    return environment.get_template(relative).render(cookiecutter=context)


class MlsdExtension(Extension):
    """Registers mlsd's filters and globals on cookiecutter's Jinja environment."""

    def __init__(self, environment: Environment):
        super().__init__(environment)
        use_template_cache(environment)
        environment.filters["mlsd_slug"] = derive_slug
        environment.filters["mlsd_default_name"] = default_name
        environment.filters["cell"] = table_cell
        environment.filters["one_line"] = one_line
        environment.filters["code"] = code_span
        environment.filters["name_cell"] = name_cell
        environment.globals["mlsd_document"] = document
        environment.globals["mlsd_import_root"] = import_root
        environment.globals["mlsd_template_root"] = template_root
        environment.globals["mlsd_answers_json"] = answers_json
        environment.globals["mlsd_install_source"] = install_source
