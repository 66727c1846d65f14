"""Stamps of inputs: a digest of a folder, of the installed packages, of a configuration value.

The check cache (:mod:`govpub.checkcache`) and the incremental render
(:mod:`govpub.build.fingerprint`) both reuse results only while what they were
computed from is the same; these functions say what "the same" means for
inputs other than a single file's bytes.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import hashlib
import os
import site
import sys
import sysconfig
import types
from collections.abc import Mapping
from pathlib import Path

ENVIRONMENT = ("GOVPUB_LANG", "LANG", "LC_ALL", "LC_TIME", "TZ", "SOURCE_DATE_EPOCH")


class Unkeyable(Exception):
    """A configuration value the key cannot describe."""


@functools.cache
def package_dirs() -> tuple[Path, ...]:
    found = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    with contextlib.suppress(AttributeError):  # some virtualenv layouts have no getsitepackages
        found.update(site.getsitepackages())
    found.update(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    return tuple(sorted(Path(p).resolve() for p in found if p and os.path.isdir(p)))


def environment_key() -> str:
    """Python's version and every installed package with its version."""
    digest = hashlib.sha256(sys.version.encode())
    for folder in package_dirs():
        digest.update(b"\0" + os.fsencode(folder))
        for name in sorted(os.listdir(folder)):
            if name.endswith((".dist-info", ".egg-info", ".pth")):
                digest.update(b"\0" + os.fsencode(name))
    for name in ENVIRONMENT:
        digest.update(f"\0{name}={os.environ.get(name, '')}".encode())
    return digest.hexdigest()


def installed(path: Path) -> bool:
    """Inside an installed package's folder (covered by :func:`environment_key`)."""
    return any(path.is_relative_to(folder) for folder in package_dirs())


def tree_digest(folder: Path) -> str:
    """SHA-256 over every file under ``folder`` (relative path and bytes), links not followed."""
    digest = hashlib.sha256()
    folder = Path(folder)
    for current, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(current) / name
            rel = path.relative_to(folder).as_posix()
            try:
                data = path.read_bytes() if not path.is_symlink() else os.readlink(path).encode()
            except OSError:
                data = b"<unreadable>"
            digest.update(f"\0{rel}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def _callable_key(value) -> list:
    name = f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', '?')}"
    key: list = ["callable", name]
    if isinstance(value, types.FunctionType):
        key.append(canonical(value.__defaults__))
        key.append(canonical(value.__kwdefaults__))
        key.append([canonical(cell.cell_contents) for cell in value.__closure__ or ()])
    return key


def canonical(value, _depth: int = 0):
    """A JSON-able description of a configuration value; :class:`Unkeyable` if there is none."""
    if _depth > 40:
        raise Unkeyable("configuration nested too deeply")
    deeper = functools.partial(canonical, _depth=_depth + 1)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return ["enum", type(value).__qualname__, deeper(value.value)]
    if isinstance(value, bytes):
        return ["bytes", value.hex()]
    if isinstance(value, Path):
        return ["path", str(value)]
    if isinstance(value, types.ModuleType):
        file = getattr(value, "__file__", None)
        return ["module", value.__name__, file, file_digest(file) if file else None]
    if type(value).__name__ == "Theme" and hasattr(value, "dirs"):
        return ["theme", value.name, [str(d) for d in value.dirs],
                {str(k): deeper(v) for k, v in sorted(dict(value).items())},
                sorted(value.static_templates)]
    plugin_config = getattr(value, "config", None)
    if not isinstance(value, Mapping) and isinstance(plugin_config, Mapping):
        return ["plugin", f"{type(value).__module__}.{type(value).__qualname__}",
                deeper(plugin_config)]
    if isinstance(value, Mapping):
        return ["map", [[str(k), deeper(v)] for k, v in value.items()]]
    if isinstance(value, (list, tuple)):
        return [deeper(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted((deeper(v) for v in value), key=repr)]
    if isinstance(value, functools.partial):
        return ["partial", deeper(value.func), deeper(value.args), deeper(value.keywords)]
    if callable(value):
        return _callable_key(value)
    if type(value).__repr__ is not object.__repr__:
        shown = repr(value)
        if " at 0x" not in shown:  # a value's own repr (a babel Locale), not an address
            return ["repr", f"{type(value).__module__}.{type(value).__qualname__}", shown]
    raise Unkeyable(f"a configuration value of type {type(value).__name__}")


def file_digest(path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def named_files(value, base: Path, out: set[Path]) -> None:
    """Every existing regular file a configuration string names (absolute or from ``base``)."""
    if isinstance(value, str):
        if value and len(value) < 4096 and "\0" not in value and "\n" not in value:
            candidate = Path(value) if os.path.isabs(value) else base / value
            try:
                if candidate.is_file():
                    out.add(candidate.resolve())
            except OSError:
                pass
    elif isinstance(value, Mapping):
        for item in value.values():
            named_files(item, base, out)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            named_files(item, base, out)
    elif getattr(value, "config", None) is not None and isinstance(value.config, Mapping):
        named_files(value.config, base, out)


def code_folder() -> Path:
    """govpub's own code (its rules, its messages)."""
    from importlib import resources

    return Path(str(resources.files("govpub")))


#: the code key while a command holds it (see code_key_held); empty otherwise
_held: list[dict] = []


@contextlib.contextmanager
def code_key_held():
    """While active, :func:`code_key` is worked out once: one command asks twice (the check
    cache's generation and the kept verdict's key), and in a source tree each answer
    hashes every file of govpub's code. The code that runs is the code loaded at the
    start: the key taken first is the one that describes it."""
    _held.append({})
    try:
        yield
    finally:
        _held.pop()


def code_key() -> str:
    """govpub's code, the installed packages and the environment variables that matter:
    what every kept result (check cache, kept verdicts) depends on besides its inputs."""
    if _held:
        held = _held[-1]
        if "key" not in held:
            held["key"] = _code_key()
        return held["key"]
    return _code_key()


def _code_key() -> str:
    code = code_folder()
    digest = hashlib.sha256(b"code\0" + (b"installed" if installed(code) else
                                        tree_digest(code).encode()))
    digest.update(b"\0env\0" + environment_key().encode())
    return digest.hexdigest()
