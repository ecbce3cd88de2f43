package io.torchlight.utils.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * Reads the pickle of a checkpoint without running code: only the opcodes {@code torch.save} emits are
 * understood, and only an allow-list of globals (ordered dicts, tensor and parameter rebuilding, storage
 * types, Lightning's attribute dicts, latin-1 byte decoding) may be named. Anything else is an error
 * naming it. Storages come from {@code storages} (persistent ids), which checks their sizes.
 */
final class PickleReader {

    /** Loads the storage a persistent id names. */
    interface Storages {
        Tensor load(String key, DType type, long numel);
    }

    private static final Object MARK = new Object();

    private final byte[] data;
    private final String file;
    private final Storages storages;
    private final Deque<Object> stack = new ArrayDeque<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Integer, Object> memo = new HashMap<>();
    private final List<Object> list = new ArrayList<>();
    private int pos;

    private PickleReader(byte[] data, String file, Storages storages) {
        this.data = data;
        this.file = file;
        this.storages = storages;
    }

    static Object read(byte[] data, String file, Storages storages) {
        return new PickleReader(data, file, storages).run();
    }

    /** An allowed callable global. */
    private record Global(String name, Function<List<Object>, Object> call) {
    }

    private Object run() {
        while (true) {
            int op = u8();
            switch (op) {
                case 0x80 -> u8(); // PROTO
                case 0x95 -> pos += 8; // FRAME
                case '.' -> {
                    return pop();
                }
                case '(' -> {
                    marks.push(list.size());
                    stack.push(MARK);
                }
                case 'N' -> stack.push(NONE);
                case 0x88 -> stack.push(Boolean.TRUE);
                case 0x89 -> stack.push(Boolean.FALSE);
                case 'K' -> stack.push((long) u8());
                case 'M' -> stack.push((long) (u8() | (u8() << 8)));
                case 'J' -> stack.push((long) le(4).getInt());
                case 0x8a -> stack.push(long1(u8()));
                case 'G' -> stack.push(bytes(8, ByteOrder.BIG_ENDIAN).getDouble());
                case 'X' -> stack.push(string(le(4).getInt()));
                case 0x8c -> stack.push(string(u8()));
                case 0x8d -> stack.push(string(Math.toIntExact(le(8).getLong())));
                case 'B' -> stack.push(raw(le(4).getInt()));
                case 'C' -> stack.push(raw(u8()));
                case ']' -> stack.push(new ArrayList<>());
                case '}' -> stack.push(new LinkedHashMap<>());
                case ')' -> stack.push(new Object[0]);
                case 't' -> stack.push(popMark().toArray());
                case 0x85 -> stack.push(new Object[] {pop()});
                case 0x86 -> {
                    Object b = pop();
                    stack.push(new Object[] {pop(), b});
                }
                case 0x87 -> {
                    Object c = pop();
                    Object b = pop();
                    stack.push(new Object[] {pop(), b, c});
                }
                case 'a' -> {
                    Object v = pop();
                    asList(peek()).add(v);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    asList(peek()).addAll(items);
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    asMap(peek()).put(k, v);
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    Map<Object, Object> m = asMap(peek());
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        m.put(items.get(i), items.get(i + 1));
                    }
                }
                case 'q' -> memo.put(u8(), peek());
                case 'r' -> memo.put(le(4).getInt(), peek());
                case 0x94 -> memo.put(memo.size(), peek());
                case 'h' -> stack.push(memoGet(u8()));
                case 'j' -> stack.push(memoGet(le(4).getInt()));
                case 'c' -> stack.push(global(line(), line()));
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    stack.push(global(String.valueOf(module), String.valueOf(name)));
                }
                case 'R' -> {
                    Object args = pop();
                    Object callable = pop();
                    if (!(callable instanceof Global g) || !(args instanceof Object[] tuple)) {
                        throw bad("calls something that is not an allowed function");
                    }
                    stack.push(g.call().apply(Arrays.asList(tuple)));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = pop();
                    Object cls = pop();
                    if (!(cls instanceof Global g) || !(args instanceof Object[] tuple)) {
                        throw bad("creates an object of a class that is not allowed");
                    }
                    stack.push(g.call().apply(Arrays.asList(tuple)));
                }
                case 'b' -> pop(); // BUILD: only ordered dicts' _metadata reaches here; kept out
                case 'Q' -> stack.push(persistent(pop()));
                case '0' -> pop();
                default -> throw bad("uses pickle opcode 0x" + Integer.toHexString(op) + " at byte " + (pos - 1)
                        + ", which checkpoints never contain");
            }
        }
    }

    private static final Object NONE = new Object();

    private Object persistent(Object pid) {
        if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0]) || !(t[1] instanceof DType type)) {
            throw bad("has a persistent id that is not a tensor storage");
        }
        long numel = ((Number) t[4]).longValue();
        if (numel < 0) {
            throw bad("declares a storage of " + numel + " elements");
        }
        return storages.load(String.valueOf(t[2]), type, numel);
    }

    private Object global(String module, String name) {
        String full = module + "." + name;
        if (module.equals("torch") && DType.ofStorage(name) != null) {
            return DType.ofStorage(name);
        }
        return switch (full) {
            case "collections.OrderedDict" -> new Global(full, args -> new OrderedMap<>());
            case "torch._utils._rebuild_tensor_v2" -> new Global(full, this::rebuildTensor);
            case "torch._utils._rebuild_parameter" -> new Global(full, args -> args.get(0));
            case "pytorch_lightning.utilities.parsing.AttributeDict", "lightning.pytorch.utilities.parsing.AttributeDict",
                    "lightning_fabric.utilities.data.AttributeDict", "builtins.dict" -> new Global(full, args -> new LinkedHashMap<>());
            case "_codecs.encode" -> new Global(full, args -> String.valueOf(args.get(0)).getBytes(StandardCharsets.ISO_8859_1));
            default -> throw bad("names the pickle global " + full + ", which is not allowed in a checkpoint "
                    + "(only tensors, storages, dicts, lists and plain values are)");
        };
    }

    private Object rebuildTensor(List<Object> args) {
        if (args.size() < 4 || !(args.get(0) instanceof Tensor storage) || !(args.get(2) instanceof Object[] size)
                || !(args.get(3) instanceof Object[] stride)) {
            throw bad("rebuilds a tensor from arguments of the wrong shape");
        }
        long offset = ((Number) args.get(1)).longValue();
        long[] sizes = longs(size);
        long[] strides = longs(stride);
        long needed = offset;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 0 || strides[i] < 0) {
                throw bad("rebuilds a tensor with a negative size or stride");
            }
            needed += sizes[i] == 0 ? 0 : (sizes[i] - 1) * strides[i];
        }
        boolean empty = Arrays.stream(sizes).anyMatch(s -> s == 0);
        if (!empty && needed >= Math.max(1, storage.numel())) {
            throw bad("rebuilds a tensor reaching element " + needed + " of a storage of " + storage.numel());
        }
        // a view shares the storage: nothing is allocated, however many elements it repeats
        return storage.as_strided(sizes, strides, new LongOptional(offset));
    }

    private static long[] longs(Object[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).longValue();
        }
        return out;
    }

    private Object memoGet(int key) {
        if (!memo.containsKey(key)) {
            throw bad("refers to memo entry " + key + ", which was never stored");
        }
        return memo.get(key);
    }

    private List<Object> popMark() {
        List<Object> items = new ArrayList<>();
        while (true) {
            Object o = pop();
            if (o == MARK) {
                break;
            }
            items.add(0, o == NONE ? null : o);
        }
        return items;
    }

    private Object pop() {
        if (stack.isEmpty()) {
            throw bad("pops from an empty stack");
        }
        Object o = stack.pop();
        return o == NONE ? null : o;
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw bad("reads from an empty stack");
        }
        return stack.peek();
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o) {
        if (!(o instanceof List<?>)) {
            throw bad("appends to something that is not a list");
        }
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asMap(Object o) {
        if (!(o instanceof Map<?, ?>)) {
            throw bad("sets an item on something that is not a dict");
        }
        return (Map<Object, Object>) o;
    }

    private int u8() {
        need(1);
        return data[pos++] & 0xFF;
    }

    private ByteBuffer le(int n) {
        return bytes(n, ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer bytes(int n, ByteOrder order) {
        need(n);
        ByteBuffer b = ByteBuffer.wrap(data, pos, n).slice().order(order);
        pos += n;
        return b;
    }

    private String string(int n) {
        return new String(raw(n), StandardCharsets.UTF_8);
    }

    private byte[] raw(int n) {
        if (n < 0) {
            throw bad("declares a string of negative length");
        }
        need(n);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    private String line() {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') {
            pos++;
        }
        need(1);
        String s = new String(data, start, pos - start, StandardCharsets.US_ASCII);
        pos++;
        return s;
    }

    private long long1(int n) {
        byte[] little = raw(n);
        byte[] big = new byte[n];
        for (int i = 0; i < n; i++) {
            big[i] = little[n - 1 - i];
        }
        return n == 0 ? 0 : new BigInteger(big).longValueExact();
    }

    private void need(int n) {
        if (n < 0 || pos + n > data.length) {
            throw bad("ends unexpectedly at byte " + pos + " (truncated or corrupt)");
        }
    }

    private CheckpointException bad(String problem) {
        return new CheckpointException("checkpoint " + file + ": its data.pkl " + problem);
    }
}
