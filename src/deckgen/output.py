"""Output naming and atomic writes: all outputs are committed together, or none is touched."""
from __future__ import annotations

import os
import tempfile
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


def commit(files: dict[Path, bytes]) -> list[Path]:
    """Write every file to a temp file beside its target, then rename them all into place.

    If any write fails, every temp file is removed and no existing output is replaced.
    """
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
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise RenderError(f"cannot write {target}: {exc.strerror or exc}") from None
    for tmp, target in temps:
        os.replace(tmp, target)
    return [target for _, target in temps]
