"""Compiled templates kept between renders: in memory for the process, on disk for the user.

Jinja turns a template's source into Python code each time a fresh environment
loads it. cookiecutter builds a fresh environment per generation and every
mlsd command is a fresh process, and compiling mlsd's templates is about a
third of what ``mlsd new`` does and a third of ``mlsd sync``. So compiled code
is kept twice: in memory, shared by every environment of the process, and in
the user's cache directory (:mod:`mlsd.user_cache`), one file per template,
for the next process.

An entry is reused only for the very same template text (Jinja compares a
checksum of the source) compiled under the same syntax settings, the same
mlsd code, the same Jinja and the same Python; anything else compiles afresh
and replaces the entry. A file on disk holds marshalled Python code, which
Python's own byte-code caches hold too, and it is trusted the way they are:
only from the user's own cache directory, only when the user owns the file
and no one else may write it. A cache that cannot be read or written only
makes rendering slower.
"""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from jinja2 import __version__ as jinja_version
from jinja2.bccache import Bucket, BytecodeCache

from mlsd import user_cache

# Subdirectory of the cache directory; one file per template and settings.
CACHE_SUBDIR = "templates"
# The largest compiled template mlsd makes is well under 1 MB.
MAX_ENTRY_BYTES = 4 * 1024 * 1024


def settings(environment: Environment) -> tuple[Any, ...]:
    """What compiled code depends on besides the source: the syntax and the extensions."""
    return (
        environment.block_start_string, environment.block_end_string,
        environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix,
        environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
        environment.keep_trailing_newline, environment.optimized, environment.autoescape,
        tuple(sorted(environment.extensions)),
    )


@lru_cache(maxsize=1)
def _producer() -> bytes:
    """The code that compiled an entry: mlsd's modules, Jinja and Python, as one line."""
    text = f"{user_cache.code_version()} jinja2 {jinja_version} {sys.version}"
    return b"mlsd-template " + hashlib.sha256(text.encode("utf-8")).hexdigest().encode("ascii") + b"\n"


class TemplateCodeCache(BytecodeCache):
    """Jinja's bytecode cache for mlsd: memory first, then the user's cache directory."""

    def __init__(self) -> None:
        # Code objects by key, with the source checksum they were compiled from:
        # kept as objects, so a hit in memory costs no unmarshalling.
        self._memory: dict[str, tuple[str, Any]] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        # The settings join the key: two environments may read one file with different syntax.
        key = self.get_cache_key(f"{settings(environment)!r}\0{name}", filename)
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._memory.get(bucket.key, ("", None))
        if code is not None and checksum == bucket.checksum:
            bucket.code = code
            return
        stored = self._read_file(bucket.key)
        if stored is not None:
            bucket.bytecode_from_string(stored)  # Jinja resets the bucket if the checksum differs
            if bucket.code is not None:
                self._memory[bucket.key] = (bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._memory[bucket.key] = (bucket.checksum, bucket.code)
        user_cache.write_private(f"{CACHE_SUBDIR}/{bucket.key}", _producer() + bucket.bytecode_to_string())

    def clear(self) -> None:
        """Forget what this process compiled; the files on disk stay."""
        self._memory.clear()

    @staticmethod
    def _read_file(key: str) -> bytes | None:
        raw = user_cache.read_private(f"{CACHE_SUBDIR}/{key}", MAX_ENTRY_BYTES)
        header = _producer()
        if raw is None or not raw.startswith(header):
            return None
        return raw[len(header):]


TEMPLATE_CODE_CACHE = TemplateCodeCache()

# Code compiled from strings (cookiecutter renders every choice of a prompt and
# every path name through from_string, which no bytecode cache sees), by the
# environment's settings and the source. Kept in memory only: they are short.
_COMPILED_STRINGS: dict[tuple[Any, str], Any] = {}


def use_template_cache(environment: Environment) -> None:
    """Give ``environment`` the shared cache, unless it has a bytecode cache of its own."""
    if environment.bytecode_cache is not None:
        return
    environment.bytecode_cache = TEMPLATE_CODE_CACHE
    compile_source = environment.compile

    def compile(source: Any, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> Any:
        if raw or defer_init or name is not None or filename is not None or not isinstance(source, str):
            return compile_source(source, name, filename, raw, defer_init)
        key = (settings(environment), source)
        code = _COMPILED_STRINGS.get(key)
        if code is None:
            code = _COMPILED_STRINGS[key] = compile_source(source)
        return code

    environment.compile = compile  # type: ignore[method-assign]
