#!/usr/bin/env python3
"""Makes the Fashion-MNIST sample shipped in the fashion example bundle: the first TRAIN training and TEST
test images and labels of the official IDX gzip files (Debian's dataset-fashion-mnist), same format with the
counts in the headers adjusted. Fashion-MNIST is (c) Zalando SE, MIT licence.

usage: make-sample.py [source folder] [target folder]
"""
import gzip, struct, sys, pathlib

TRAIN, TEST = 4000, 1000
src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
dst = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "../src/main/resources/io/torchlight/examples/fashion/sample")
dst.mkdir(parents=True, exist_ok=True)

def cut(name, count):
    data = gzip.open(src / name).read()
    magic, n = struct.unpack(">II", data[:8])
    dims = (magic & 0xFF)
    header = 4 + 4 * dims
    sizes = struct.unpack(">" + "I" * dims, data[4:header])
    item = 1
    for s in sizes[1:]:
        item *= s
    out = struct.pack(">I", magic) + struct.pack(">I", count) + data[8:header] + data[header:header + count * item]
    with gzip.GzipFile(dst / name, "wb", mtime=0) as f:
        f.write(out)

cut("train-images-idx3-ubyte.gz", TRAIN)
cut("train-labels-idx1-ubyte.gz", TRAIN)
cut("t10k-images-idx3-ubyte.gz", TEST)
cut("t10k-labels-idx1-ubyte.gz", TEST)
