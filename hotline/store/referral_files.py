"""The files of `hotline referrals import`: a center's sheet in (CSV or XLSX, first row the
column names) and the referral directory out (YAML, replaced in one rename so a running
process reads the old file or the new one, never half of one)."""
from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import yaml

HEADER_NOTE = ("# 转介机构目录 / Referral directory — 由 `hotline referrals import` 写入 / written by\n"
               "# `hotline referrals import`; edit the sheet and import again rather than this file.\n")


class SheetError(ValueError):
    """The sheet cannot be read at all (missing, not CSV/XLSX, not UTF-8)."""


def read_sheet(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """(header, rows as {column: value}) of the first sheet."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return _csv(path)
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx(path)
    except OSError as exc:
        raise SheetError(f"{path}: 无法读取 / cannot read: {exc.strerror or exc}") from None
    raise SheetError(f"{path}: 需要 .csv 或 .xlsx 文件 / needs a .csv or .xlsx file")


def _csv(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle))
    except UnicodeDecodeError:
        raise SheetError(f"{path}: 不是 UTF-8 编码 / not UTF-8 (save the sheet as CSV UTF-8)") from None
    return _rows(table)


def _xlsx(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    from openpyxl import load_workbook  # lazy: only spreadsheets need openpyxl, slow to import
    from openpyxl.utils.exceptions import InvalidFileException  # lazy: as above
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError) as exc:
        raise SheetError(f"{path}: 不是有效的 xlsx 文件 / not a valid xlsx file ({type(exc).__name__})") from None
    try:
        table = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    return _rows(table)


def _rows(table: list[list[Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    if not table:
        return [], []
    header = ["" if h is None else str(h).strip() for h in table[0]]
    return header, [dict(zip(header, row)) for row in table[1:]]


def read_directory(path: Path) -> dict:
    """The current directory file as plain data (its regions and public numbers are kept)."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def write_directory(path: Path, raw: dict) -> None:
    """Write the whole directory to a temporary file beside `path`, then rename over it."""
    text = HEADER_NOTE + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=120)
    handle, temporary = tempfile.mkstemp(prefix=".referrals-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
