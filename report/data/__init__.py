"""Data packages: the only way chapters get data (`load`), and their validation."""

from report.data.load import declare, load, package
from report.data.packages import Package, PackageError, read_package

__all__ = ["Package", "PackageError", "declare", "load", "package", "read_package"]
