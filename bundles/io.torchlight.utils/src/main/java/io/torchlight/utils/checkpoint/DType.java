package io.torchlight.utils.checkpoint;

import org.bytedeco.pytorch.global.torch.ScalarType;

/** The tensor element types a checkpoint may hold, with PyTorch's storage class names. */
enum DType {
    FLOAT(ScalarType.Float, "FloatStorage", 4),
    DOUBLE(ScalarType.Double, "DoubleStorage", 8),
    HALF(ScalarType.Half, "HalfStorage", 2),
    BFLOAT16(ScalarType.BFloat16, "BFloat16Storage", 2),
    LONG(ScalarType.Long, "LongStorage", 8),
    INT(ScalarType.Int, "IntStorage", 4),
    SHORT(ScalarType.Short, "ShortStorage", 2),
    BYTE(ScalarType.Byte, "ByteStorage", 1),
    CHAR(ScalarType.Char, "CharStorage", 1),
    BOOL(ScalarType.Bool, "BoolStorage", 1);

    final ScalarType scalarType;
    final String storage;
    final int size;

    DType(ScalarType scalarType, String storage, int size) {
        this.scalarType = scalarType;
        this.storage = storage;
        this.size = size;
    }

    static DType of(ScalarType type) {
        for (DType d : values()) {
            if (d.scalarType.value == type.value) {
                return d;
            }
        }
        throw new IllegalArgumentException("tensors of type " + type + " cannot be checkpointed");
    }

    static DType ofStorage(String name) {
        for (DType d : values()) {
            if (d.storage.equals(name)) {
                return d;
            }
        }
        return null;
    }
}
