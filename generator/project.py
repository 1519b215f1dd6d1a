"""The project layout: the one module that knows cmgen's folder and file names.

A project is a folder with ``cmgen.yaml`` and::

    templates/            Jinja2 templates mirroring the output tree; ``_``-prefixed = partials
    values/base.yaml      the platform model
    values/<env>.yaml     one file per environment
    values/values.schema.json
    overlays/<env>/kustomization.yaml   optional, per environment
    out/<env>/<tree>/     the generated tree (``tree`` of cmgen.yaml; ``manifests`` by default)

Which output file each rendered object goes to is ``layout`` of cmgen.yaml (``layout``); which
templates render in an env is its ``when`` (``conditions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator import conditions, confine, layout, lintsettings, paths, yamlio
from generator.conditions import Conditions
from generator.errors import CmgenError
from generator.layout import Layout
from generator.lintsettings import RuleSetting
from generator.suggest import did_you_mean

CONFIG_FILE = "cmgen.yaml"
TEMPLATES_DIR = "templates"
TEMPLATE_SUFFIX = ".j2"
STATE_FILE = ".cmgen-manifest.json"
STAGING_DIR = ".cmgen-staging"
JOURNAL_FILE = ".cmgen-journal.json"
OWN_PREFIX = paths.OWN_PREFIX  # a ``tree`` may not go there
# A project without ``tree:`` writes out/<env>/manifests/: a folder of manifests only, which
# ``kubectl apply -R -f`` can take whole (the env's root also holds cmgen's record).
DEFAULT_TREE = "manifests"
DEFAULT_KUBE_VERSION = "1.35"

_ENV_NAME = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
_CONFIG_KEYS = {"tree", "kubeVersion", "crds", "docs", "lint", "layout", "when"}
_CONFIG_TYPES = (
    ("tree", str, "a relative path"),
    ("kubeVersion", str, 'a string (quote it: "1.30" unquoted is the number 1.3)'),
    ("crds", list, "a list of paths"),
    ("docs", (bool, dict), "true, false or a mapping such as {language: ko}"),
)
# Languages the docs stage writes its report in (docs: {language: ko}); English by default.
DOCS_LANGUAGES = ("en", "ko")


def check_env_name(name: str) -> str:
    """An env name is a DNS label: no path separator, no ``..``, nothing to escape out/."""
    if not _ENV_NAME.fullmatch(name):
        raise CmgenError(
            f"invalid env name {name!r}: use lowercase letters, digits and '-' "
            "(no path separators or '..')"
        )
    return name


@dataclass(frozen=True)
class Config:
    tree: Path = Path(DEFAULT_TREE)
    kube_version: str = DEFAULT_KUBE_VERSION
    crds: tuple[Path, ...] = field(default_factory=tuple)
    docs: bool = False  # the tutorial's report, charts and scripts in every env's tree
    docs_language: str = "en"  # of the report: one of DOCS_LANGUAGES
    lint: tuple[RuleSetting, ...] = ()  # project-level lint settings (``lintsettings``)
    layout: Layout = Layout()  # which output file each rendered object goes to
    when: Conditions = Conditions()  # which templates render in an env (``conditions``)


@dataclass(frozen=True)
class OutputTarget:
    """Where one env is written: ``root`` holds cmgen's state, ``tree`` the manifests.

    ``base`` is the last folder whose symlinks are followed: the project root, or the
    ``--out`` folder the user named (resolved). Every folder below it, from ``base`` down to
    ``tree``, must be a real folder: a symlink there (``out/`` in a cloned repository, say)
    could send writes and deletions anywhere.
    """

    root: Path
    tree: Path
    base: Path

    def symlink(self) -> Path | None:
        """The first symlink on the way from ``base`` down to ``tree``, or None."""
        path = self.base
        for part in self.tree.relative_to(self.base).parts:
            path = path / part
            if path.is_symlink():
                return path
        return None


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config

    @classmethod
    def load(cls, root: Path) -> Project:
        root = root.resolve()
        config_path = root / CONFIG_FILE
        if not config_path.is_file():
            raise CmgenError(f"not a cmgen project: no {CONFIG_FILE} in {root}")
        confine.inside(config_path, root)
        return cls(root, _read_config(config_path, root))

    @classmethod
    def find(cls, start: Path) -> Project | None:
        """The nearest project at or above ``start``, or None when there is none."""
        start = start.resolve()
        for folder in (start, *start.parents):
            if (folder / CONFIG_FILE).is_file():
                return cls.load(folder)
        return None

    @classmethod
    def discover(cls, start: Path) -> Project:
        """The nearest folder at or above ``start`` that has a ``cmgen.yaml``."""
        start = start.resolve()
        for folder in (start, *start.parents):
            if (folder / CONFIG_FILE).is_file():
                return cls.load(folder)
        raise CmgenError(f"not a cmgen project: no {CONFIG_FILE} in {start} or above it")

    @property
    def templates_dir(self) -> Path:
        return self.root / TEMPLATES_DIR

    @property
    def values_dir(self) -> Path:
        return self.root / "values"

    @property
    def overlays_dir(self) -> Path:
        return self.root / "overlays"

    @property
    def out_dir(self) -> Path:
        return self.root / "out"

    @property
    def base_values(self) -> Path:
        return self.values_dir / "base.yaml"

    @property
    def values_schema(self) -> Path:
        return self.values_dir / "values.schema.json"

    def envs(self) -> list[str]:
        names = (path.stem for path in self.values_dir.glob("*.yaml") if path.name != "base.yaml")
        return sorted(name for name in names if _ENV_NAME.fullmatch(name))

    def env_values(self, env: str) -> Path:
        check_env_name(env)
        path = self.values_dir / f"{env}.yaml"
        if not path.is_file():
            if (self.overlays_dir / env).is_dir():
                raise CmgenError(
                    f"{self.display(path)} is missing: env {env!r} has an overlay but no "
                    "values file (an env is a values file; its overlay is optional)",
                    self.display(self.overlays_dir / env),
                )
            known = ", ".join(self.envs()) or "none"
            hint = did_you_mean(env, self.envs())
            raise CmgenError(
                f"unknown env {env!r}{hint} (known: {known})", self.display(self.values_dir)
            )
        return path

    def overlay(self, env: str) -> Path:
        """The env's kustomization file (it may not exist: then there is no overlay)."""
        return self.overlays_dir / check_env_name(env) / "kustomization.yaml"

    def output(self, env: str, out: Path | None = None, per_env: bool = False) -> OutputTarget:
        """``out/<env>/<tree>`` by default; ``--out DIR`` gives ``DIR/<tree>``, or
        ``DIR/<env>/<tree>`` with ``per_env`` (``--all-envs``).

        The symlinks of the ``DIR`` the user typed are followed, once, as ``cd DIR`` would;
        none below it is (``OutputTarget.symlink``). By default none below the project root is.
        """
        if out is None:
            root = self.out_dir / check_env_name(env)
            return OutputTarget(root, root / self.config.tree, self.root)
        try:
            base = out.resolve()
        except (OSError, RuntimeError) as exc:  # a symlink loop: RuntimeError until 3.13
            raise CmgenError(f"cannot follow the output folder: {exc}", str(out)) from None
        root = base / check_env_name(env) if per_env else base
        return OutputTarget(root, root / self.config.tree, base)

    def templates(self) -> list[Path]:
        """Templates to render (not partials), in sorted order; symlinks are followed
        inside the project and refused when they lead out of it (``confine``)."""
        found = []
        for path in confine.walk(self.templates_dir, self.root):
            relative = path.relative_to(self.templates_dir)
            if any(part.startswith("_") for part in relative.parts):
                continue
            if path.suffix != TEMPLATE_SUFFIX:
                raise CmgenError(
                    f"not a template: files in templates/ end in {TEMPLATE_SUFFIX} "
                    "(partials start with '_')",
                    self.display(path),
                )
            found.append(path)
        if not found:  # it vanished (a bad checkout, a wrong --project): nothing to remove for
            raise CmgenError(
                "no templates: the folder is missing or holds no template (a render would "
                f"remove every generated file); add templates ending in {TEMPLATE_SUFFIX}",
                self.display(self.templates_dir),
            )
        return found

    def template_name(self, template: Path) -> str:
        """``templates/a/b.yaml.j2`` -> ``a/b.yaml.j2``: how ``cmgen.yaml`` (``layout``,
        ``when``) and Jinja name a template."""
        return template.relative_to(self.templates_dir).as_posix()

    def output_name(self, template: Path) -> Path:
        """``templates/a/b.yaml.j2`` -> ``a/b.yaml`` (relative to the tree)."""
        return template.relative_to(self.templates_dir).with_suffix("")

    def display(self, path: Path) -> str:
        """A path as shown in messages: relative to the project when inside it.

        A symlink is named where it is, not where it points."""
        for candidate in (path.absolute(), path.resolve()):
            if candidate.is_relative_to(self.root):
                return str(candidate.relative_to(self.root))
        return str(path)


def _read_config(path: Path, root: Path) -> Config:
    display = CONFIG_FILE
    text = yamlio.read_text(path, display)
    data = yamlio.load_one(text, display) or {}
    if not isinstance(data, dict):
        raise CmgenError("expected a mapping", display, 1, 1)
    for key in data:
        if key not in _CONFIG_KEYS:
            line, column = yamlio.locate(text, 0, [key], key=True)
            known = ", ".join(sorted(_CONFIG_KEYS))
            raise CmgenError(f"unknown setting {key!r} (known: {known})", display, line, column)
    data["crds"] = data.get("crds") or []
    for key, wanted, what in _CONFIG_TYPES:
        if key in data and not isinstance(data[key], wanted):
            line, column = yamlio.locate(text, 0, [key])
            raise CmgenError(f"{key} must be {what}", display, line, column)
    entries: list[tuple[list[str | int], object]] = [(["tree"], data.get("tree", DEFAULT_TREE))]
    entries.extend((["crds", i], entry) for i, entry in enumerate(data["crds"]))
    for where, entry in entries:
        why = paths.problem(str(entry))
        if why is not None:
            line, column = yamlio.locate(text, 0, where)
            raise CmgenError(f"{entry!r}: {why}", display, line, column)
    tree = Path(data.get("tree", DEFAULT_TREE))
    if paths.escapes(tree.parts, tree.is_absolute()):
        line, column = yamlio.locate(text, 0, ["tree"])
        raise CmgenError("tree must be a relative path inside the output folder", display, line, column)
    if tree.parts[0].startswith(OWN_PREFIX):
        line, column = yamlio.locate(text, 0, ["tree"])
        message = f"tree must not be inside cmgen's own files ({OWN_PREFIX}*: its record and staging)"
        raise CmgenError(message, display, line, column)
    crds = tuple(root / str(entry) for entry in data.get("crds", []))
    for index, crd in enumerate(crds):
        try:
            confine.inside(crd, root)
        except CmgenError as error:
            line, column = yamlio.locate(text, 0, ["crds", index])
            raise CmgenError(f"crds: {error.message}", display, line, column) from None
    docs, language = _docs(data.get("docs", False), text)
    lint = lintsettings.read(data.get("lint"), text, display)
    routes = layout.read(data.get("layout"), text, display, root / TEMPLATES_DIR)
    when = conditions.read(data.get("when"), text, display, root / TEMPLATES_DIR)
    return Config(
        tree, data.get("kubeVersion", DEFAULT_KUBE_VERSION), crds, docs, language, lint=lint, layout=routes,
        when=when,
    )


def _docs(setting: bool | dict[str, object], text: str) -> tuple[bool, str]:
    """``docs: true`` (English), ``false``, or ``{language: ko}`` (on, in that language)."""
    if isinstance(setting, bool):
        return setting, "en"
    for key, value in setting.items():
        if key != "language" or value not in DOCS_LANGUAGES:
            line, column = yamlio.locate(text, 0, ["docs", key])
            raise CmgenError(
                f"docs accepts only language: one of {', '.join(DOCS_LANGUAGES)}", CONFIG_FILE, line, column
            )
    return True, str(setting.get("language", "en"))
