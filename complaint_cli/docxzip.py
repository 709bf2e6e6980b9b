"""A .docx package written fast: the unchanged parts are serialised once, each render adds only the document part.

A .docx is a ZIP file (PKWARE APPNOTE 6.3, §4.3): every entry is a local header followed by its data, and a central
directory at the end lists the entries with the offset of each local header. Local headers hold no offsets, so the
local records of the parts a template never changes (styles, settings, relationships, pictures, fonts) are
compressed and built once and reused as bytes; a render compresses the document part and writes the central
directory. ``zipfile`` would rebuild every entry of every letter, which was a third of the time of a render.

Only what a template needs is supported: no ZIP64 (a template is kilobytes, checked), no encryption, ASCII part names
(OOXML names are ASCII; others are written with the UTF-8 flag).

The document part is deflated with ISA-L (``isal``, Intel's deflate: the same format, a third of zlib's time at its
fastest level and a file as small) when it is installed, else with zlib; what a letter says is the same either way.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass

_LOCAL = struct.Struct("<4s5H3L2H")  # signature, version needed, flags, method, time, date, crc, sizes, name/extra len
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # as local + version made by, comment len, disk, attributes, offset
_END = struct.Struct("<4s4H2LH")  # signature, disks, entries on disk and in all, directory size and offset, comment
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_UTF8_FLAG = 0x800
_LIMIT = 0xFFFF_FFFF  # beyond this ZIP64 would be needed
LEVEL = 1  # zlib level of the document part: level 6 takes 60 % longer for a 5 % smaller letter
SHARED_LEVEL = 6  # zlib level of the unchanged parts: compressed once per template, so the better ratio is free


def _document_deflater():
    """(compress, crc32) for the document part: ISA-L's when it is installed (level 1 of its 0–3, as small as zlib's
    level 1 and three times as fast, issue 17), else zlib's."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - isal is a dependency; a build without it still writes letters
        return (lambda data: zlib.compress(data, LEVEL, -15)), zlib.crc32
    return (lambda data: isal_zlib.compress(data, 1, -15)), isal_zlib.crc32


_deflate, _crc32 = _document_deflater()


@dataclass(frozen=True)
class _Entry:
    name: bytes
    flags: int
    time: int
    date: int
    made_by: int
    external_attr: int
    local: bytes | None  # the whole local record of an unchanged part; None for the part written per render
    crc: int = 0
    size: int = 0
    method: int = zipfile.ZIP_STORED
    packed_size: int = 0


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return (hour << 11) | (minute << 5) | (second // 2), (max(year, 1980) - 1980) << 9 | (month << 5) | day


_VERSION = {zipfile.ZIP_STORED: 10, zipfile.ZIP_DEFLATED: 20}  # "version needed to extract" (APPNOTE §4.4.3.2)


_SAMPLE = 64 * 1024


def _compress(data: bytes) -> tuple[int, bytes]:
    """An unchanged part deflated, or stored as it is when deflating does not make it smaller (JPEG, PNG: a sample
    of a large part tells, so a template's photos are not compressed in vain, 50 ms a megabyte)."""
    if len(data) > 4 * _SAMPLE and len(zlib.compress(data[:_SAMPLE], 1)) > 0.95 * _SAMPLE:
        return zipfile.ZIP_STORED, data
    compressor = zlib.compressobj(SHARED_LEVEL, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return (zipfile.ZIP_DEFLATED, packed) if len(packed) < len(data) else (zipfile.ZIP_STORED, data)


class Package:
    """The parts of a template, ready to be written again and again with a new ``variable`` part."""

    def __init__(self, parts: list[tuple[zipfile.ZipInfo, bytes]], variable: str) -> None:
        entries = []
        for info, data in parts:
            name = info.filename.encode("utf-8")
            flags = _UTF8_FLAG if not info.filename.isascii() else 0
            time, date = _dos_time(info.date_time)
            made_by = (info.create_system << 8) | info.create_version
            if info.filename == variable:
                entries.append(_Entry(name, flags, time, date, made_by, info.external_attr, None))
                continue
            if len(data) > _LIMIT:
                raise ValueError(f"part {info.filename} is too large for a template")
            crc = zlib.crc32(data)
            method, packed = _compress(data)
            header = _LOCAL.pack(_LOCAL_SIG, _VERSION[method], flags, method, time, date, crc, len(packed), len(data),
                                 len(name), 0)
            entries.append(_Entry(name, flags, time, date, made_by, info.external_attr, header + name + packed,
                                  crc, len(data), method, len(packed)))
        if sum(e.local is None for e in entries) != 1:
            raise ValueError(f"the package must hold exactly one part named {variable}")
        self._entries = entries

    def build(self, document: bytes) -> bytes:
        """The whole .docx with ``document`` as the variable part (deflated)."""
        packed = _deflate(document)
        crc = _crc32(document)
        if len(document) > _LIMIT:
            raise ValueError("the document part is too large for a letter")
        out: list[bytes] = []
        directory: list[bytes] = []
        offset = 0
        for e in self._entries:
            if e.local is None:
                method, version, e_crc, csize, usize = zipfile.ZIP_DEFLATED, 20, crc, len(packed), len(document)
                record = _LOCAL.pack(_LOCAL_SIG, version, e.flags, method, e.time, e.date, crc, csize, usize,
                                     len(e.name), 0) + e.name + packed
            else:
                method, version, e_crc, csize, usize = e.method, _VERSION[e.method], e.crc, e.packed_size, e.size
                record = e.local
            directory.append(_CENTRAL.pack(_CENTRAL_SIG, e.made_by, version, e.flags, method, e.time, e.date, e_crc,
                                           csize, usize, len(e.name), 0, 0, 0, 0, e.external_attr, offset) + e.name)
            out.append(record)
            offset += len(record)
        central = b"".join(directory)
        if offset + len(central) > _LIMIT:
            raise ValueError("the letter is too large for a ZIP file without ZIP64")
        end = _END.pack(_END_SIG, 0, 0, len(directory), len(directory), len(central), offset, 0)
        return b"".join(out) + central + end
