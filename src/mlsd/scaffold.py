"""Generating a design repo: the only module that calls cookiecutter.

cookiecutter is imported inside :func:`generate`, so commands that only list or
show presets start without paying for it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mlsd.errors import MlsdError
from mlsd.locations import preset_directories, template_root
from mlsd.presets import BLANK_ID, PresetCatalogue, resolve_preset


def catalogue(extra_dirs: Sequence[Path] = ()) -> PresetCatalogue:
    """The built-in presets, then any team directories (``--presets-dir`` or $MLSD_PRESETS_DIR)."""
    return PresetCatalogue(preset_directories(extra_dirs))


@dataclass(frozen=True)
class GenerationRequest:
    """What to generate and where."""

    preset_id: str = BLANK_ID
    system_name: str | None = None
    system_slug: str | None = None
    output_dir: Path = Path(".")
    guidance: bool = True
    interview_minutes: int = 45
    preset_file: Path | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    practice: bool = False
    purpose: str = "interview"
    workload_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResolvedRequest:
    """A request with every answer decided and checked."""

    preset_id: str
    system_name: str
    system_slug: str
    output_dir: Path
    guidance: bool
    interview_minutes: int
    preset_file: Path | None
    overrides: dict[str, str]
    resolved_id: str
    practice: bool = False
    purpose: str = "interview"
    workload_kinds: tuple[str, ...] = ()

    @property
    def target(self) -> Path:
        return self.output_dir / self.system_slug


def resolve(request: GenerationRequest, presets: PresetCatalogue | None = None) -> ResolvedRequest:
    """Fill defaults from the preset and check every answer; raise :class:`MlsdError`."""
    # Imported here so that commands which only list presets do not load it.
    from mlsd.naming import check_name, check_slug, derive_slug

    presets = presets or catalogue()
    preset_file = request.preset_file
    if preset_file is None and request.preset_id != BLANK_ID:
        path = presets.path_of(request.preset_id)
        if path.parent != presets.builtin_dir:
            preset_file = path  # a team preset reaches the template as a file
    from mlsd.figures.skeleton import split_overrides

    early, _ = split_overrides(request.preset_id == BLANK_ID and preset_file is None, dict(request.overrides))
    resolved_id, preset = resolve_preset(presets, request.preset_id, preset_file=preset_file, overrides=early)
    from mlsd.answers import purpose_of

    purpose = purpose_of({"purpose": request.purpose})
    if request.practice and purpose not in ("interview", "practice"):
        raise MlsdError(f"practice hides a preset's answers for interview study; it does not go with purpose '{purpose}'")
    purpose = "practice" if request.practice else purpose
    name = check_name(request.system_name if request.system_name is not None else preset["system_name"])
    slug = check_slug(request.system_slug if request.system_slug is not None else derive_slug(name))
    return ResolvedRequest(
        preset_id=BLANK_ID if preset_file else request.preset_id,
        system_name=name,
        system_slug=slug,
        output_dir=Path(request.output_dir),
        guidance=request.guidance,
        interview_minutes=request.interview_minutes,
        preset_file=Path(preset_file).resolve() if preset_file else None,
        overrides=dict(request.overrides),
        resolved_id=resolved_id,
        practice=purpose == "practice",
        purpose=purpose,
        workload_kinds=tuple(request.workload_kinds),
    )


def generate(resolved: ResolvedRequest) -> Path:
    """Render the template for ``resolved``; refuse, touching nothing, if the target exists.

    Whatever stops generation half-way (an error, Ctrl-C, SIGTERM) removes the
    target, which did not exist before, so nothing of the user's is lost and a
    rerun is not refused for a half-made directory.
    """
    from mlsd.figures.skeleton import DEFAULT_KINDS
    from mlsd.interrupts import terminate_as_exception
    from mlsd.overrides import encode

    target = resolved.target
    answers = {
        "preset": resolved.preset_id,
        "system_name": resolved.system_name,
        "system_slug": resolved.system_slug,
        "interview_minutes": str(resolved.interview_minutes),
        "guidance": resolved.guidance,
        "purpose": resolved.purpose,
        "workload_kinds": ",".join(resolved.workload_kinds or DEFAULT_KINDS),
        "_mlsd_preset_file": str(resolved.preset_file or ""),
        "_mlsd_overrides": encode(resolved.overrides),
    }
    root = str(template_root())
    with terminate_as_exception():
        _claim(target)
        try:
            # Imported after the claim but inside the clean-up: a Ctrl-C during
            # this slow import must not leave an empty target behind.
            from cookiecutter.main import cookiecutter

            from mlsd.answers import jinja_literal
            from mlsd.hooks import post_generate, pre_generate

            # The hook scripts only call mlsd.hooks; in this process the same functions
            # run directly, which spares two Python start-ups per generation.
            if pre_generate(answers, root) != 0:
                raise MlsdError("generation stopped: the answers were refused (see the message above)")
            result = cookiecutter(
                root,
                no_input=True,
                accept_hooks=False,
                # The target was created empty by _claim, so this only lets cookiecutter use it.
                overwrite_if_exists=True,
                output_dir=str(resolved.output_dir),
                extra_context={
                    **answers,
                    "system_name": jinja_literal(resolved.system_name),
                    "system_slug": jinja_literal(resolved.system_slug),
                },
            )
            if post_generate(Path(result), answers, root) != 0:
                raise MlsdError("generation could not finish the repo (see the message above)")
        except BaseException as exc:
            # Broken or interrupted half-way: the target did not exist before, so
            # removing it loses nothing of the user's.
            _remove_partial(target)
            error = _explain(exc, target)
            if error is None:
                raise
            raise error from None
    return Path(result)


def _explain(exc: BaseException, target: Path) -> MlsdError | None:
    """The one-line error for a failed generation; None for what must propagate (Ctrl-C, bugs)."""
    from cookiecutter.exceptions import CookiecutterException, FailedHookException

    if isinstance(exc, MlsdError):
        return exc
    if isinstance(exc, FailedHookException):
        return MlsdError(f"generation stopped by a template hook: {exc}")
    if isinstance(exc, CookiecutterException):
        return MlsdError(f"generation failed: {exc}")
    if isinstance(exc, OSError):
        return MlsdError(f"cannot write {target}: {exc.strerror or exc}")
    return None


def _claim(target: Path) -> None:
    """Create the empty target directory, atomically: of two runs for one slug, one wins."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(target)
    except FileExistsError:
        raise MlsdError(
            f"{target} already exists; nothing was changed. Choose another --slug or --output-dir"
        ) from None
    except OSError as exc:
        raise MlsdError(f"cannot create {target}: {exc.strerror or exc}") from None


def _remove_partial(target: Path) -> None:
    import shutil  # here, not at the top: shutil pulls in the compression modules

    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target, ignore_errors=True)


def reference_section(presets: PresetCatalogue, preset_id: str, number: int) -> str:
    """Section ``number`` of the reference design for ``preset_id``, generated in a scratch directory."""
    import tempfile

    from mlsd.sections import section_markdown

    with tempfile.TemporaryDirectory(prefix="mlsd-show-") as scratch:
        resolved = resolve(GenerationRequest(preset_id=preset_id, output_dir=Path(scratch), guidance=False), presets)
        design = (generate(resolved) / "DESIGN.md").read_text(encoding="utf-8")
    text = section_markdown(design, number)
    if text is None:
        raise MlsdError(f"the reference design has no section {number}")
    return text
