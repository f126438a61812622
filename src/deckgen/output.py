"""Output naming and atomic writes: all outputs are committed together, or none is touched."""
from __future__ import annotations

import errno
import os
import secrets
import shutil
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


_STOPS: list[int] = []  # signals that asked this process to stop (request_stop), in the order they came


def request_stop(signum: int) -> None:
    """Note that a signal asked the build to stop. Its handler also raises KeyboardInterrupt, but one raised while a
    C extension imports (lxml's module set-up) can be cleared there and lost; `commit` then refuses to write."""
    _STOPS.append(signum)


def commit(files: dict[Path, bytes], protect: Sequence[Path] = ()) -> list[Path]:
    """Write every file to a temp file beside its target, then rename them all into place — all of them or none.

    The output folder is created if missing (like `mkdir -p`). Temp names are unique, so two builds at once never
    mix their files. If any check or write fails (a target is the outline itself or a folder, the folder is a file or
    not writable, the disk is full, a path too long or a link loop), every temp file is removed and no existing output
    is replaced. Before the first rename every existing target is kept as a hard link beside it (which also refuses an
    immutable or append-only file); if a later rename fails, the outputs already replaced get their old files back and
    new ones are removed. Outputs get the permissions of any new file (0666 less the umask). Paths in `protect` (the
    outline) are never written over.
    """
    if _STOPS:  # interrupted, though the KeyboardInterrupt was lost on the way: nothing is written
        raise KeyboardInterrupt
    target = next(iter(files), Path("."))
    try:
        _check_targets(files, protect)
    except OSError as exc:
        raise RenderError(f"cannot write {_short(target)}: {_reason(exc, target.parent)}") from None
    temps: list[tuple[Path, Path]] = []
    mode = 0o666 & ~_umask()
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
        raise RenderError(f"cannot write {_short(target)}: {_reason(exc, target.parent)}") from None
    except BaseException:
        _remove(temps)
        raise
    backups: dict[Path, Path | None] = {}  # target -> its old file kept aside (None: there was none)
    try:
        for tmp, target in temps:
            backups[target] = _keep(target)
    except OSError as exc:
        _remove(temps)
        _drop(backups)
        raise RenderError(f"cannot replace {_short(target)}: {_reason(exc, target.parent)}; nothing was replaced") from None
    except BaseException:
        _remove(temps)
        _drop(backups)
        raise
    done: list[Path] = []
    try:
        for tmp, target in temps:
            os.replace(tmp, target)
            done.append(target)
    except BaseException as exc:
        lost = _restore(done, backups)
        _remove(temps)
        _drop({t: b for t, b in backups.items() if t not in lost})  # an old file not put back stays as its backup
        if not isinstance(exc, OSError):
            raise
        note = ("; " + ", ".join(f"{p} could not be restored (its old file is {backups[p]})" if backups[p] is not None
                                 else f"{p} is new and could not be removed" for p in lost) if lost
                else "; nothing was replaced (the outputs already replaced have their old files back)")
        raise RenderError(f"cannot write {_short(target)}: {_reason(exc, target.parent)}{note}") from None
    _drop(backups)
    return done


def _check_targets(files: dict[Path, bytes], protect: Sequence[Path]) -> None:
    """Refuse, before anything is written, a target that is the outline, lies in a file or is a folder."""
    protected = {os.path.realpath(p) for p in protect}
    for target in files:
        if os.path.realpath(target) in protected:
            raise RenderError(f"cannot write {target}: it is the outline itself — choose another output folder with -o")
        parent = target.parent
        if parent.exists() and not parent.is_dir():
            raise RenderError(f"cannot write into {parent}: it is a file, not a folder — give a folder with -o")
        if target.is_dir():
            raise RenderError(f"cannot write {target}: a folder of that name is in the way — remove or rename it")
        os.stat(parent) if parent.exists() else None  # ENAMETOOLONG, ELOOP raise here, before any write


def _keep(target: Path) -> Path | None:
    """A hard link to the current `target` beside it (None when there is none): its old bytes, kept until every
    output is in place. Linking an immutable or append-only file fails (EPERM), so that refusal comes before any
    output is replaced; a file system without hard links gets a copy."""
    if not os.path.lexists(target):
        return None
    for _ in range(100):
        backup = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
        try:
            os.link(target, backup, follow_symlinks=False)
            return backup
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno == errno.EPERM and _locked(target):
                raise RenderError(f"cannot replace {_short(target)}: it is marked immutable or append-only — remove the "
                                  f"mark (chattr -i -a {_short(target)}) or choose another folder with -o; nothing "
                                  "was replaced") from None
            if exc.errno not in (errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
                raise
            shutil.copy2(target, backup, follow_symlinks=False)
            return backup
    raise OSError(errno.EEXIST, "no free name for the backup of the old file")


def _locked(path: Path) -> bool:
    """The file carries the immutable or append-only attribute (Linux FS_IOC_GETFLAGS); False where unknown."""
    try:
        import fcntl
        import struct

        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        try:
            flags = struct.unpack("l", fcntl.ioctl(fd, 0x80086601, struct.pack("l", 0)))[0]
        finally:
            os.close(fd)
    except (OSError, ImportError):
        return False
    return bool(flags & (0x10 | 0x20))  # FS_IMMUTABLE_FL, FS_APPEND_FL


def _restore(done: list[Path], backups: dict[Path, Path | None]) -> list[Path]:
    """Put the old files back over the outputs already replaced (remove the ones that were new); the paths that could
    not be restored."""
    lost = []
    for target in reversed(done):
        backup = backups.get(target)
        try:
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
                backups[target] = None
        except OSError:
            lost.append(target)
    return lost


def _drop(backups: dict[Path, Path | None]) -> None:
    for backup in backups.values():
        if backup is not None:
            try:
                backup.unlink(missing_ok=True)
            except OSError:
                pass


def _remove(temps: list[tuple[Path, Path]]) -> None:
    for tmp, _ in temps:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def _short(path: Path) -> str:
    """A path as printed in a message: a very long one (ENAMETOOLONG) by its start and end."""
    text = str(path)
    return text if len(text) <= 160 else f"{text[:60]}…{text[-60:]}"


def _reason(exc: OSError, folder: Path | None = None) -> str:
    """The OS error in words, with what to do about the common ones."""
    if exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.ELOOP) and folder is not None:
        blocked = _blocking_link(folder)
        if blocked is not None:
            return blocked
    hints = {
        errno.ENOSPC: " — free some disk space or choose another folder with -o",
        errno.EFBIG: " — the file size limit (ulimit -f) or the file system does not allow a file this large",
        errno.EACCES: " — choose a folder you can write to with -o",
        errno.EPERM: " — choose a folder you can write to with -o",
        errno.EROFS: " — the disk is read-only; choose another folder with -o",
        errno.ENOTDIR: " — a part of the output path is a file; give a folder with -o",
        errno.EEXIST: " — a part of the output path is a file; give a folder with -o",
        errno.ENAMETOOLONG: " — the output path or a name in it is longer than the system allows; choose a shorter folder with -o",
        errno.ELOOP: " — the output path goes through symbolic links in a loop; give a real folder with -o",
    }
    return f"{exc.strerror or exc}{hints.get(exc.errno or 0, '')}"


def _blocking_link(folder: Path) -> str | None:
    """Why `folder` cannot be made when a part of it is a symbolic link that leads nowhere or in a loop."""
    part = Path(folder.anchor) if folder.is_absolute() else Path()
    for name in folder.parts[1:] if folder.is_absolute() else folder.parts:
        part = part / name
        if not os.path.islink(part):
            continue
        try:
            os.stat(part)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return f"{_short(part)} is a symbolic link in a loop (it leads back to itself) — remove it or give a real folder with -o"
            return f"{_short(part)} is a symbolic link to a place that does not exist — remove it or give a real folder with -o"
    return None
