"""Output naming and atomic writes: all outputs are committed together, or none is touched."""
from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import RenderError


def output_path(out_dir: Path, stem: str, suffix: str, audience: str | None = None) -> Path:
    """`<out_dir>/<stem>.<suffix>`, or `<stem>-<audience>.<suffix>` for a tailored build."""
    name = f"{stem}-{audience}" if audience else stem
    return out_dir / f"{name}.{suffix}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def commit(files: dict[Path, bytes], protect: Sequence[Path] = ()) -> list[Path]:
    """Write every file to a temp file beside its target, then rename them all into place.

    The output folder is created if missing (like `mkdir -p`). Temp names are unique, so two builds at once never
    mix their files. If any check or write fails (a target is the outline itself or a folder, the folder is a file or
    not writable, the disk is full), every temp file is removed and no existing output is replaced. Outputs get the
    permissions of any new file (0666 less the umask). Paths in `protect` (the outline) are never written over.
    """
    protected = {os.path.realpath(p) for p in protect}
    for target in files:
        if os.path.realpath(target) in protected:
            raise RenderError(f"cannot write {target}: it is the outline itself — choose another output folder with -o")
        parent = target.parent
        if parent.exists() and not parent.is_dir():
            raise RenderError(f"cannot write into {parent}: it is a file, not a folder — give a folder with -o")
        if target.is_dir():
            raise RenderError(f"cannot write {target}: a folder of that name is in the way — remove or rename it")
    temps: list[tuple[Path, Path]] = []
    mode = 0o666 & ~_umask()
    target = next(iter(files), Path("."))
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temps.append((Path(tmp), target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)
    except OSError as exc:
        _remove(temps)
        raise RenderError(f"cannot write {target}: {_reason(exc)}") from None
    except BaseException:
        _remove(temps)
        raise
    done: list[Path] = []
    try:
        for tmp, target in temps:
            os.replace(tmp, target)
            done.append(target)
    except OSError as exc:
        _remove(temps)
        kept = f" ({', '.join(str(p) for p in done)} already replaced)" if done else ""
        raise RenderError(f"cannot write {target}: {_reason(exc)}{kept}") from None
    return done


def _remove(temps: list[tuple[Path, Path]]) -> None:
    for tmp, _ in temps:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def _reason(exc: OSError) -> str:
    """The OS error in words, with what to do about the common ones."""
    hints = {
        errno.ENOSPC: " — free some disk space or choose another folder with -o",
        errno.EFBIG: " — the file size limit (ulimit -f) or the file system does not allow a file this large",
        errno.EACCES: " — choose a folder you can write to with -o",
        errno.EPERM: " — choose a folder you can write to with -o",
        errno.EROFS: " — the disk is read-only; choose another folder with -o",
        errno.ENOTDIR: " — a part of the output path is a file; give a folder with -o",
        errno.EEXIST: " — a part of the output path is a file; give a folder with -o",
    }
    return f"{exc.strerror or exc}{hints.get(exc.errno or 0, '')}"
