"""MkDocs hook: the site shows the repository as it reads on GitHub.

MkDocs takes its pages from a directory below mkdocs.yml (docs/ here), but
README.md and DESIGN.md sit at the root and every document links to the others
by its path in the repository. This hook publishes README.md (the home page)
and DESIGN.md from the root, and serves each file of docs/ under docs/, so a
relative link resolves in the site exactly as it does on GitHub. Nothing else
at the root is published: .mlsd/, mlsd's copy of the generated text, stays out.
"""

from __future__ import annotations

import os

from mkdocs.structure.files import File, Files

ROOT_PAGES = ("README.md", "DESIGN.md")

def on_files(files: Files, config) -> Files:
    root = os.path.dirname(os.path.abspath(config.config_file_path))
    docs_dir = os.path.abspath(config.docs_dir)
    prefix = os.path.relpath(docs_dir, root).replace(os.sep, "/")
    published = []
    for file in files:
        if file.src_dir and os.path.abspath(file.src_dir) == docs_dir:
            published.append(
                File.generated(config, f"{prefix}/{file.src_uri}", abs_src_path=file.abs_src_path, inclusion=file.inclusion)
            )
        else:
            # The theme's own assets keep their place.
            published.append(file)
    for name in ROOT_PAGES:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            published.append(File.generated(config, name, abs_src_path=path))
    return Files(published)
