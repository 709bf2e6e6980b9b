"""The bundled templates' compiled Jinja code, kept on disk between runs.

Compiling the claim template costs ~45 ms — a third of a ``complaint render``. Jinja's own answer is a bytecode cache
(:class:`jinja2.BytecodeCache`: the compiled code object, marshalled, behind a checksum of the source); this module
is one, with what a cache of *code* needs before anything read back from it is run:

* **Stale is impossible.** A file is found by a key made of the template's source (SHA-256), the Jinja version, the
  Python version, the environment's settings, and the text of our modules that define the environment's classes
  (:func:`cache_key`). Anything that could change the compiled code changes the key: a miss, and a new compile.
* **Torn or tampered files are never run.** Each file carries an HMAC-SHA256 of its content under a per-install
  secret key (32 random bytes, ``template-cache.key`` in the state folder, 0600). A file that does not verify — cut
  short, flipped bits, copied from another machine or account, written by anyone who cannot read the key — is
  ignored and replaced. Only verified bytes reach ``pickle``/``marshal`` (Jinja's :class:`jinja2.bccache.Bucket`),
  which must never see untrusted data.
* **Nothing others can write is trusted.** The cache folder must be ours and not writable by group or others; each
  file is opened without following links and must be ours, a regular file, and not writable by others (checked on
  the open descriptor, so it cannot be swapped between check and read); the key must be readable by us alone.
  Files are written 0600, atomically (temp file + rename: no reader sees half a file).

What this does not defend against, and why that is fine: a program running as the same user can rewrite the key and
the cache — and equally the installed package itself or its ``__pycache__``, which Python loads with no check at
all. The HMAC adds what those lack: detection of corruption, and of cache files that did not come from this install.

Any problem with the folder or the key (read-only disk, a foreign owner) means no cache: the template is compiled as
before. Only templates we ship use it (:mod:`complaint_cli.render`); an advocate's template is compiled each run.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import sys
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache

FORMAT = 1  # what a cache file holds and how it is keyed; a change here starts a new cache
SUFFIX = ".jinjac"
KEY_FILE = "template-cache.key"
SECRET_BYTES = 32
MAX_FILE = 16 * 2**20  # a compiled letter is ~20 KB
KEEP = 16  # files kept in the folder (older ones — other versions of the program — are removed)

# What of an environment decides the code Jinja generates (jinja2.environment.Environment.__init__'s options).
_OPTIONS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix", "trim_blocks",
    "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized", "autoescape", "finalize", "undefined",
    "is_async", "code_generator_class", "context_class", "template_class",
)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def compile_template(environment: Any, source: str) -> Any:
    """``environment.from_string(source)``, with the compiled code taken from the cache or put there."""
    store = open_cache()
    key = cache_key(environment, source) if store is not None else None
    if store is None or key is None:
        return environment.from_string(source)
    bucket = store.get_bucket(environment, key, None, source)
    if bucket.code is None:
        bucket.code = environment.compile(source)  # a TemplateSyntaxError is the caller's, as with from_string
        try:
            store.set_bucket(bucket)
        except (OSError, ValueError):  # a full disk or a folder that went away: compiled, just not kept
            pass
    return environment.template_class.from_code(environment, bucket.code, environment.make_globals(None), None)


class SignedBytecodeCache(BytecodeCache):
    """A :class:`jinja2.BytecodeCache` whose files are private, written atomically and signed (see the module)."""

    def __init__(self, directory: Path, secret: bytes) -> None:
        self.directory = Path(directory)
        self.secret = secret

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return name  # :func:`cache_key` already, passed as the name

    def path(self, key: str) -> Path:
        return self.directory / f"{key}{SUFFIX}"

    def sign(self, key: str, payload: bytes) -> bytes:
        return hmac.new(self.secret, key.encode("ascii") + b"\0" + payload, hashlib.sha256).digest()

    def load_bytecode(self, bucket: Any) -> None:
        try:
            data = read_private(self.path(bucket.key), others_may_read=True)
        except OSError:
            return
        tag, payload = data[:32], data[32:]
        if len(tag) == 32 and hmac.compare_digest(tag, self.sign(bucket.key, payload)):
            bucket.bytecode_from_string(payload)  # Jinja checks its own header and the source's checksum too

    def dump_bytecode(self, bucket: Any) -> None:
        from complaint_cli.fsutil import atomic_write_bytes

        payload = bucket.bytecode_to_string()
        atomic_write_bytes(self.path(bucket.key), self.sign(bucket.key, payload) + payload, durable=False)
        self.prune()

    def prune(self) -> None:
        """Keep the :data:`KEEP` newest files (each upgrade of Jinja, Python or the program starts new ones)."""
        files = sorted(self.directory.glob(f"*{SUFFIX}"), key=_mtime, reverse=True)
        for old in files[KEEP:]:
            try:
                old.unlink()
            except OSError:
                pass

    def clear(self) -> None:
        for path in self.directory.glob(f"*{SUFFIX}"):
            path.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def open_cache() -> SignedBytecodeCache | None:
    """The cache in :func:`complaint_cli.paths.cache_dir`, or None when it cannot be trusted or used."""
    from complaint_cli.errors import ComplaintError
    from complaint_cli.fsutil import make_dirs
    from complaint_cli.paths import cache_dir, home

    directory = cache_dir()
    try:
        make_dirs(directory)  # 0700 when created
        if not trusted_folder(directory):
            return None
        secret = install_secret(home() / KEY_FILE)
    except (OSError, ComplaintError):  # read-only, a link where the folder should be, a file of that name
        return None
    return SignedBytecodeCache(directory, secret)


def trusted_folder(path: Path) -> bool:
    """Ours, a folder, and nobody else may add, remove or rename files in it."""
    info = os.stat(path)
    return stat.S_ISDIR(info.st_mode) and _ours(info) and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_private(path: Path, *, others_may_read: bool) -> bytes:
    """A regular file of ours that nobody else may write (or, ``others_may_read=False``, read); OSError otherwise.

    Checked on the open descriptor (``O_NOFOLLOW``: a link is refused), so the file cannot be swapped after the check.
    """
    fd = os.open(path, _READ_FLAGS)
    try:
        info = os.fstat(fd)
        forbidden = stat.S_IWGRP | stat.S_IWOTH | (0 if others_may_read else stat.S_IRGRP | stat.S_IROTH)
        if not stat.S_ISREG(info.st_mode) or not _ours(info) or info.st_mode & forbidden or info.st_size > MAX_FILE:
            raise PermissionError(f"not a private file: {path}")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(MAX_FILE + 1)
    finally:
        os.close(fd)


def install_secret(path: Path) -> bytes:
    """The per-install key that signs cache files; made (0600) when missing, replaced when others could read it."""
    try:
        secret = read_private(path, others_may_read=False)
        if len(secret) == SECRET_BYTES:
            return secret
    except FileNotFoundError:
        pass
    except PermissionError:  # readable by others, or not ours: a key others may know signs nothing
        pass
    from complaint_cli.fsutil import atomic_write_bytes, make_dirs

    make_dirs(path.parent)
    secret = os.urandom(SECRET_BYTES)
    # Two first runs at once each write a key; the one renamed last wins, and the other's cache file simply fails to
    # verify once and is written again.
    atomic_write_bytes(path, secret)
    return secret


def _ours(info: os.stat_result) -> bool:
    geteuid = getattr(os, "geteuid", None)
    return geteuid is None or info.st_uid == geteuid()  # Windows: a user's profile is private by its ACLs


def cache_key(environment: Any, source: str) -> str | None:
    """The file a compiled template is kept under: everything the compiled code depends on, hashed (None: an
    environment whose defining code cannot be read, so nothing may be cached for it)."""
    import jinja2

    fingerprint = environment_fingerprint(environment)
    if fingerprint is None:
        return None
    parts = (str(FORMAT), jinja2.__version__, sys.version, sys.implementation.cache_tag, fingerprint,
             hashlib.sha256(source.encode("utf-8")).hexdigest())
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def environment_fingerprint(environment: Any) -> str | None:
    """The environment's class, code generator and settings, and the text of the modules of ours that define them
    (so that a change to our environment classes is a change of key, with no version number to remember)."""
    parts = [_describe(type(environment)), ",".join(sorted(environment.extensions))]
    parts += [f"{option}={_describe(getattr(environment, option, None))}" for option in _OPTIONS]
    classes = (*type(environment).__mro__, environment.code_generator_class, environment.undefined)
    for module in sorted({cls.__module__ for cls in classes}):
        if module.split(".")[0] in ("jinja2", "builtins"):
            continue  # covered by the Jinja and Python versions
        text = _module_hash(module)
        if text is None:
            return None
        parts.append(f"{module}:{text}")
    return "\n".join(parts)


def _describe(value: Any) -> str:
    if isinstance(value, type) or callable(value):
        name = f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
        return f"{name}/{getattr(value, 'jinja_pass_arg', '')}"  # @pass_context & co. change the generated call
    return repr(value)


@cache
def _module_hash(module: str) -> str | None:
    try:
        with open(sys.modules[module].__file__, "rb") as f:  # type: ignore[arg-type]
            return hashlib.sha256(f.read()).hexdigest()
    except (KeyError, AttributeError, TypeError, OSError):
        return None
