"""The caches of parsed resources stay bounded, and fingerprinting a big file never holds it in memory."""

from __future__ import annotations

import tracemalloc

import pandas as pd

from report.builder.validation import package_fingerprint, resource_fingerprints
from report.data import frames
from report.data.load import load
from report.data.frames import FrameCache
from tests.robustness.corpus import GOOD_CSV, good_data, write_widgets


def frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"value": range(rows)}, dtype="int64")


def test_the_memory_cache_drops_the_least_recently_used_frame_past_its_limit():
    size = int(frame(1000).memory_usage(index=True, deep=True).sum())
    cache = FrameCache(limit=int(size * 2.5))
    for key in "abc":
        cache.put((key,), frame(1000))
    assert cache.keys() == [("b",), ("c",)]  # a went when c came
    cache.get(("b",))
    cache.put(("d",), frame(1000))
    assert cache.keys() == [("b",), ("d",)]  # c was the least recently used
    assert cache.bytes <= cache.limit
    cache.put(("huge",), frame(10_000))  # bigger than the whole cache: not kept, nothing else dropped
    assert cache.keys() == [("b",), ("d",)]


def test_load_keeps_no_more_frames_than_the_limit(tmp_path, monkeypatch):
    data = good_data(tmp_path / "data")
    monkeypatch.setattr(frames, "MEMORY", FrameCache(limit=1))  # nothing fits
    assert len(load("widgets", data_dir=data)) == 2
    assert frames.MEMORY.keys() == [] and frames.MEMORY.bytes == 0
    monkeypatch.setattr(frames, "MEMORY", FrameCache(limit=10**8))
    load("widgets", data_dir=data)
    load("local-authorities", data_dir=data)
    assert len(frames.MEMORY.keys()) == 2


def test_the_disk_cache_keeps_only_the_frames_of_the_data_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setattr(frames, "MEMORY", FrameCache(limit=10**8))
    monkeypatch.delenv("REPORT_FORCE", raising=False)
    data = good_data(tmp_path / "data")
    folder = frames.disk_folder(data)
    load("widgets", data_dir=data)
    load("local-authorities", data_dir=data)
    first = {p.name for p in folder.glob("*.pkl")}
    assert len(first) == 2
    write_widgets(data, GOOD_CSV.replace("1.5", "3.5").encode())  # a new release of widgets
    monkeypatch.setattr(frames, "MEMORY", FrameCache(limit=10**8))
    assert load("widgets", data_dir=data)["rate"].iloc[0] == 3.5
    (folder / "stray.tmp").write_bytes(b"half")
    assert len(list(folder.iterdir())) == 4
    removed = frames.prune_disk(data)
    kept = {p.name for p in folder.iterdir()}
    assert len(removed) == 2 and len(kept) == 2 and "stray.tmp" not in kept
    assert len(kept & first) == 1  # local-authorities' frame stays, widgets' old one went


def test_fingerprints_stream_a_big_file(tmp_path):
    """A 40 MB resource is hashed in chunks: the peak of memory held is a small fraction of the file."""
    data = good_data(tmp_path / "data")
    rows = "".join(f"2{i:07d},2024,Good,1,1\n" for i in range(1_500_000))
    write_widgets(data, (GOOD_CSV + rows).encode())
    size = (data / "widgets" / "widgets.csv").stat().st_size
    assert size > 30e6
    tracemalloc.start()
    try:
        package_fingerprint(data / "widgets")
        resource_fingerprints(data / "widgets")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size / 10, f"fingerprinting held {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"
