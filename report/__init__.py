"""The 'What works?' report generator: data packages in, a static site and a PDF out."""

__version__ = "0.1.0"
