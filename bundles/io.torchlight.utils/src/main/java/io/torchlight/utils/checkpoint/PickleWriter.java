package io.torchlight.utils.checkpoint;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

/**
 * Writes the object graph of a checkpoint as a pickle (protocol 2), the way {@code torch.save} does:
 * maps as dicts (ordered maps as {@code collections.OrderedDict}), lists, strings, numbers, booleans,
 * byte arrays, and tensors as {@code torch._utils._rebuild_tensor_v2} over a persistent storage id. The
 * tensors' bytes are collected separately, one record per storage.
 */
final class PickleWriter {

    /** One tensor's storage, to be written as {@code archive/data/<key>}. */
    record StorageRecord(String key, byte[] bytes) {
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<StorageRecord> storages = new ArrayList<>();

    static PickleWriter write(Object root) {
        PickleWriter w = new PickleWriter();
        w.out.write(0x80);
        w.out.write(2);
        w.value(root);
        w.out.write('.');
        return w;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    List<StorageRecord> storages() {
        return storages;
    }

    private void value(Object v) {
        if (v == null) {
            out.write('N');
        } else if (v instanceof Boolean b) {
            out.write(b ? 0x88 : 0x89);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            integer(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            out.write('G');
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(((Number) v).doubleValue()).array());
        } else if (v instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            int32(utf8.length);
            out.writeBytes(utf8);
        } else if (v instanceof byte[] bytes) {
            out.write('B');
            int32(bytes.length);
            out.writeBytes(bytes);
        } else if (v instanceof Tensor t) {
            tensor(t);
        } else if (v instanceof OrderedMap<?, ?> m) {
            global("collections", "OrderedDict");
            out.write(')');
            out.write('R');
            items(m);
        } else if (v instanceof Map<?, ?> m) {
            out.write('}');
            items(m);
        } else if (v instanceof List<?> list) {
            out.write(']');
            if (!list.isEmpty()) {
                out.write('(');
                list.forEach(this::value);
                out.write('e');
            }
        } else if (v instanceof Object[] tuple) {
            out.write('(');
            for (Object o : tuple) {
                value(o);
            }
            out.write('t');
        } else {
            throw new IllegalArgumentException("a " + v.getClass().getName() + " cannot be written to a checkpoint");
        }
    }

    private void items(Map<?, ?> m) {
        if (m.isEmpty()) {
            return;
        }
        out.write('(');
        m.forEach((k, val) -> {
            value(k);
            value(val);
        });
        out.write('u');
    }

    private void tensor(Tensor t) {
        Tensor data = t.detach().cpu().contiguous();
        DType type = DType.of(data.scalar_type());
        long numel = data.numel();
        String key = String.valueOf(storages.size());
        storages.add(new StorageRecord(key, TensorBytes.read(data)));
        global("torch._utils", "_rebuild_tensor_v2");
        out.write('(');
        // persistent id: ('storage', torch.<Type>Storage, key, location, numel)
        out.write('(');
        value("storage");
        global("torch", type.storage);
        value(key);
        value("cpu");
        integer(numel);
        out.write('t');
        out.write('Q');
        integer(0);
        long[] sizes = data.sizes().vec().get();
        value(box(sizes));
        value(box(contiguousStrides(sizes)));
        value(Boolean.FALSE);
        global("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        out.write('t');
        out.write('R');
    }

    private static Object[] box(long[] values) {
        Object[] boxed = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    static long[] contiguousStrides(long[] sizes) {
        long[] strides = new long[sizes.length];
        long s = 1;
        for (int i = sizes.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(1, sizes[i]);
        }
        return strides;
    }

    private void global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void integer(long v) {
        if (v >= 0 && v <= 0xFF) {
            out.write('K');
            out.write((int) v);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            int32((int) v);
        } else {
            byte[] big = BigInteger.valueOf(v).toByteArray();
            out.write(0x8a);
            out.write(big.length);
            for (int i = big.length - 1; i >= 0; i--) {
                out.write(big[i]);
            }
        }
    }

    private void int32(int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }
}
