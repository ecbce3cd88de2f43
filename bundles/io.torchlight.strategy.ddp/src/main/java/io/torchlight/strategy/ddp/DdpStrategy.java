package io.torchlight.strategy.ddp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.ByteVector;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.strategy.ReduceOp;
import io.torchlight.api.strategy.Strategy;

/**
 * Strategy {@code ddp}, Lightning's DDPStrategy on libtorch's own c10d: one process per device, found through the
 * {@code torchrun} environment ({@link DdpEnvironment}); rank 0 serves the rendezvous {@code TCPStore}, every rank
 * joins a Gloo process group (NCCL on CUDA); the module's parameters and buffers are broadcast from rank 0 when it moves to its
 * device, and the gradients are averaged over the ranks in buckets whose all-reduces overlap the backward pass
 * ({@link GradientBuckets}, torch's DDP Reducer).
 * Every rendezvous and collective is bounded by the environment's timeout and fails naming this rank.
 */
public class DdpStrategy implements Strategy {

    /** The strategy's name. */
    public static final String NAME = "ddp";

    private volatile DdpEnvironment env;
    private volatile Accelerator accelerator;
    private volatile Device device;
    private TCPStore store;
    private Backend group;
    private volatile boolean nccl;
    private long broadcasts;
    private volatile long gradientSyncNanos;
    private volatile long gradientSyncs;
    private volatile GradientBuckets.Caps caps;
    private GradientBuckets buckets;
    private final Map<List<Integer>, Backend> subgroups = new HashMap<>();
    private final List<TCPStore> subgroupStores = new ArrayList<>();
    private static final long READERS_WAIT_MILLIS = 30_000;
    private int outgoingStop;
    private int receivedStop;
    private boolean exchangedSinceBoundary;

    /** From this process's environment variables (or the system properties of those names the launcher sets). */
    public DdpStrategy() {
        this(DdpEnvironment.ofProcess());
    }

    /**
     * The gradient buckets hold at most the environment's {@code bucketCapBytes} after the first (torch's
     * {@code bucket_cap_mb}, 25 MB by default); the first at most 1 MB, or the cap if smaller, so its all-reduce
     * starts early in backward.
     */
    public DdpStrategy(DdpEnvironment env) {
        use(env);
    }

    private void use(DdpEnvironment value) {
        long cap = value.bucketCapBytes();
        caps = new GradientBuckets.Caps(Math.min(GradientBuckets.Caps.DEFAULT.firstBytes(), cap), cap);
        env = value;
    }

    /** The container started this run's other ranks: their variables over this process's, before anything connects. */
    @Override
    public synchronized void environment(Map<String, String> variables) {
        if (group != null) {
            throw new IllegalStateException("ddp rank " + env.rank() + " is connected already; its environment is fixed");
        }
        use(DdpEnvironment.ofProcess(variables));
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * On the CPU every rank trains on the CPU over Gloo; on CUDA local rank r takes the r-th of the run's devices and
     * the ranks talk over NCCL, as Lightning's DDPStrategy.
     */
    @Override
    public void setup(Accelerator value, List<Integer> devices) {
        boolean cuda = value.deviceType().value == DeviceType.CUDA.value;
        int index = 0;
        if (cuda) {
            if (env.localRank() >= devices.size()) {
                throw new TorchlightException("ddp rank " + env.rank() + ": LOCAL_RANK " + env.localRank() + " but the run has "
                        + devices.size() + " device(s) " + devices + ": give devices= one device per local rank");
            }
            index = devices.get(env.localRank());
        }
        accelerator = value;
        device = value.device(index);
        value.setup(device);
        nccl = cuda;
        connect();
    }

    /**
     * The rendezvous and the process group, once per process (the group outlives the stages), at setup or at the
     * first collective, whichever comes first: the trainer agrees on its run folder before it sets up.
     */
    private synchronized void connect() {
        if (group != null) {
            return;
        }
        Milliseconds timeout = new Milliseconds(env.timeout().toMillis());
        try {
            store = tcpStore(env.masterAddr(), env.masterPort(), env.rank() == 0, env.worldSize(), true);
            store.retainReference();
        } catch (RuntimeException e) {
            throw new TorchlightException("ddp rank " + env.rank() + " of " + env.worldSize() + ": no rendezvous at "
                    + env.masterAddr() + ":" + env.masterPort() + " within " + env.timeout().toSeconds() + " s ("
                    + (env.rank() == 0 ? "is the port in use? set MASTER_PORT" : "is rank 0 up and MASTER_ADDR reachable?")
                    + "): " + firstLine(e), e);
        }
        try {
            group = backend(store, env.rank(), env.worldSize());
            group.retainReference();
        } catch (RuntimeException e) {
            throw new TorchlightException("ddp rank " + env.rank() + ": the " + (nccl ? "NCCL" : "Gloo") + " process group did not form within "
                    + env.timeout().toSeconds() + " s: " + firstLine(e), e);
        }
    }

    private Backend backend(Store rendezvous, int rank, int size) {
        Milliseconds timeout = new Milliseconds(env.timeout().toMillis());
        return nccl ? ProcessGroups.nccl(rendezvous, rank, size, timeout) : ProcessGroups.gloo(rendezvous, rank, size, timeout, localAddress());
    }

    /** The address the other ranks reach this one at: loopback for a one-machine run. */
    private String localAddress() {
        String ifname = System.getenv("GLOO_SOCKET_IFNAME");
        if (ifname != null && !ifname.isBlank()) {
            return ifname;
        }
        return loopback() ? "127.0.0.1" : hostName();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    @Override
    public Device rootDevice() {
        Device d = device;
        if (d == null) {
            throw new IllegalStateException("ddp strategy is not set up");
        }
        return d;
    }

    /** Moves the module, then makes every rank start from rank 0's parameters and buffers. */
    @Override
    public void moduleToDevice(Module module) {
        module.to(rootDevice(), false);
        List<Tensor> state = new ArrayList<>();
        TensorVector params = module.parameters();
        TensorVector buffers = module.buffers();
        for (long i = 0; i < params.size(); i++) {
            state.add(params.get(i));
        }
        for (long i = 0; i < buffers.size(); i++) {
            state.add(buffers.get(i));
        }
        for (Tensor t : state) {
            collective("broadcast of the parameters", () -> group().broadcast(new TensorVector(t), new BroadcastOptions().rootRank(0)));
        }
        closeBuckets();
        List<Tensor> trained = new ArrayList<>();
        for (long i = 0; i < params.size(); i++) {
            if (params.get(i).requires_grad()) {
                trained.add(params.get(i));
            }
        }
        if (env.worldSize() > 1 && !trained.isEmpty()) {
            buckets = new GradientBuckets(trained, caps, env.worldSize(), (flat, what) -> {
                Work work;
                try {
                    work = group().allreduce(new TensorVector(flat));
                } catch (RuntimeException e) {
                    throw failed(what, e);
                }
                return () -> collective(what, () -> work);
            });
        }
    }

    private void closeBuckets() {
        GradientBuckets b = buckets;
        buckets = null;
        if (b != null) {
            b.close();
        }
    }

    /**
     * Averages the gradients over the ranks: the buckets' hooks started most all-reduces during backward already;
     * this starts the rest, waits, and writes the means back.
     */
    @Override
    public void postBackward(Module module) {
        GradientBuckets b = buckets;
        if (b == null) {
            return;
        }
        long start = System.nanoTime();
        b.finish();
        receivedStop |= (int) Math.round(b.receivedControl());
        b.control(0); // sent once: a second backward before the boundary carries nothing more
        outgoingStop = 0;
        exchangedSinceBoundary = true;
        gradientSyncNanos += System.nanoTime() - start;
        gradientSyncs++;
    }

    /**
     * Rank 0's reasons travel with the next gradient exchange, so agreeing costs no collective of its own: what this
     * boundary returns is what the exchanges since the last one carried (the reasons given one batch before). A batch
     * without an exchange (no backward on any rank) exchanges them in a collective of their own, at once.
     */
    @Override
    public int stopReasons(int rankZero) {
        if (env.worldSize() == 1) {
            return rankZero;
        }
        int mine = env.rank() == 0 ? rankZero : 0;
        if (exchangedSinceBoundary) {
            int agreed = receivedStop;
            receivedStop = 0;
            exchangedSinceBoundary = false;
            outgoingStop = mine;
            GradientBuckets b = buckets;
            if (b != null) {
                b.control(mine); // before the next backward: its hooks may start the last bucket early
            }
            return agreed;
        }
        int pending = outgoingStop | mine;
        outgoingStop = 0;
        GradientBuckets b = buckets;
        if (b != null) {
            b.control(0);
        }
        return (int) Math.round(reduce(torch.tensor((double) pending), ReduceOp.SUM).item_double());
    }

    /**
     * The mean time a step waited for its gradients after backward so far (the rest of the all-reduces, averaging,
     * writing back: what backward did not hide), in ms; 0 before one.
     */
    public double meanGradientSyncMillis() {
        long n = gradientSyncs;
        return n == 0 ? 0 : gradientSyncNanos / 1e6 / n;
    }

    @Override
    public Tensor reduce(Tensor value, ReduceOp op) {
        Tensor out = value.detach().clone();
        if (env.worldSize() == 1) {
            return out;
        }
        collective("reduce", () -> group().allreduce(new TensorVector(out), C10Ops.allreduce(op)));
        return op == ReduceOp.MEAN ? out.div(new Scalar((double) env.worldSize())) : out;
    }

    /**
     * Over the global ranks {@code ranks} only (Lightning's {@code sync_dist_group}): their own process group, formed
     * the first time among them alone through the rendezvous store; a rank outside the group keeps its own value, as
     * torch.distributed leaves a tensor of a rank not in the group.
     */
    @Override
    public Tensor reduce(Tensor value, ReduceOp op, List<Integer> ranks) {
        List<Integer> members = ranks.stream().distinct().sorted().toList();
        for (int r : members) {
            if (r < 0 || r >= env.worldSize()) {
                throw new IllegalArgumentException("syncDistGroup " + ranks + " names rank " + r + ", but this run has ranks 0.."
                        + (env.worldSize() - 1));
            }
        }
        if (members.isEmpty() || members.size() == env.worldSize()) {
            return reduce(value, op);
        }
        Tensor out = value.detach().clone();
        int index = members.indexOf(env.rank());
        if (index < 0 || members.size() == 1) {
            return out;
        }
        Backend sub = subgroup(members, index);
        collective("reduce over the group " + members, () -> sub.allreduce(new TensorVector(out), C10Ops.allreduce(op)));
        return op == ReduceOp.MEAN ? out.div(new Scalar((double) members.size())) : out;
    }

    /**
     * A subgroup's own process group over its own rendezvous store (a prefix over the run's store cannot be made from
     * Java): its lowest rank serves it on a free port and says where through the run's store.
     */
    private synchronized Backend subgroup(List<Integer> members, int index) {
        connect();
        Backend existing = subgroups.get(members);
        if (existing != null) {
            return existing;
        }
        String key = "torchlight/group/" + members.stream().map(String::valueOf).collect(Collectors.joining(",")) + "/store";
        try {
            TCPStore rendezvous;
            if (index == 0) {
                int port = freePort();
                // it does not wait for the members: they learn its port from what follows
                rendezvous = tcpStore(env.masterAddr(), port, true, members.size(), false);
                String host = env.rank() == 0 || loopback() ? env.masterAddr() : hostName();
                store.set(key, new ByteVector(bytes(host + ":" + port)));
            } else {
                String at = new String(bytes(store.get(key)), StandardCharsets.UTF_8);
                int colon = at.lastIndexOf(':');
                rendezvous = tcpStore(at.substring(0, colon), Integer.parseInt(at.substring(colon + 1)), false, members.size(), true);
            }
            rendezvous.retainReference();
            subgroupStores.add(rendezvous);
            Backend b = backend(rendezvous, index, members.size());
            b.retainReference();
            subgroups.put(members, b);
            return b;
        } catch (RuntimeException e) {
            throw failed("forming the process group " + members, e);
        }
    }

    private TCPStore tcpStore(String host, int port, boolean server, int workers, boolean waitForWorkers) {
        TCPStoreOptions options = new TCPStoreOptions();
        options.port((short) port);
        options.isServer(server);
        options.numWorkers(new SizeTPointer(1).put(workers));
        options.timeout(new Milliseconds(env.timeout().toMillis()));
        options.waitWorkers(waitForWorkers);
        return new TCPStore(host, options);
    }

    private boolean loopback() {
        return env.masterAddr().equals("localhost") || env.masterAddr().startsWith("127.");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for a process group's rendezvous", e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteVector vector) {
        byte[] data = new byte[(int) vector.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = vector.get(i);
        }
        return data;
    }

    /** Every rank's tensor along a new dimension 0, in rank order (through an all-reduce of a zero-padded stack). */
    @Override
    public Tensor allGather(Tensor value) {
        Tensor mine = value.detach();
        Tensor all = torch.zeros_like(mine.unsqueeze(0).expand(cat(env.worldSize(), mine.sizes().vec().get())).contiguous());
        all.select(0, env.rank()).copy_(mine);
        if (env.worldSize() > 1) {
            collective("all-gather", () -> group().allreduce(new TensorVector(all)));
        }
        return all;
    }

    private static long[] cat(long first, long[] rest) {
        long[] out = new long[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    /** Rank 0's value on every rank: tensors through the group, other values serialized through the rendezvous store. */
    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T broadcast(T value) {
        if (env.worldSize() == 1) {
            return value;
        }
        if (value instanceof Tensor t) {
            Tensor out = t.detach().clone();
            collective("broadcast", () -> group().broadcast(new TensorVector(out), new BroadcastOptions().rootRank(0)));
            return (T) out;
        }
        connect();
        String key = "torchlight/broadcast/" + broadcasts++;
        if (env.rank() == 0) {
            store.set(key, new ByteVector(serialize(value)));
            return value;
        }
        byte[] data = bytes(store.get(key));
        store.set(key + "/read/" + env.rank(), new ByteVector(1)); // rank 0 keeps the store up until every rank has read
        return (T) deserialize(data);
    }

    private static byte[] serialize(Object value) {
        if (!(value instanceof Serializable)) {
            throw new IllegalArgumentException("ddp broadcast sends tensors and Serializable values, not " + value.getClass().getName());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Object deserialize(byte[] data) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            return in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("ddp broadcast: rank 0 sent a value of a class this rank lacks", e);
        }
    }

    @Override
    public void barrier(String name) {
        if (env.worldSize() > 1) {
            collective("barrier '" + name + "'", () -> group().barrier());
        }
    }

    @Override
    public int worldSize() {
        return env.worldSize();
    }

    @Override
    public int globalRank() {
        return env.rank();
    }

    @Override
    public int localRank() {
        return env.localRank();
    }

    /** The node this process runs on ({@code NODE_RANK}). */
    @Override
    public int nodeRank() {
        return env.nodeRank();
    }

    /** Where this process stands in the run. */
    public DdpEnvironment environment() {
        return env;
    }

    @Override
    public void teardown() {
        closeBuckets();
        Accelerator a = accelerator;
        if (a != null) {
            a.teardown();
        }
    }

    /**
     * Leaves the process group and, on rank 0, closes the rendezvous (its port is free again); the container does
     * this when a run gives the strategy back. A later collective would form a new group.
     */
    public synchronized void close() {
        closeBuckets();
        awaitReaders();
        subgroups.values().forEach(Backend::releaseReference);
        subgroups.clear();
        subgroupStores.forEach(TCPStore::releaseReference);
        subgroupStores.clear();
        if (group != null) {
            group.releaseReference();
            group = null;
        }
        if (store != null) {
            store.releaseReference();
            store = null;
        }
    }

    /**
     * On rank 0: the rendezvous store serves the broadcasts, so it stays up until every rank has read the last one
     * (a rank that finished first would otherwise take the value away from one still reading it), within 30 s.
     */
    private void awaitReaders() {
        if (env.rank() != 0 || store == null || broadcasts == 0 || env.worldSize() == 1) {
            return;
        }
        String key = "torchlight/broadcast/" + (broadcasts - 1) + "/read/";
        StringVector keys = new StringVector();
        for (int r = 1; r < env.worldSize(); r++) {
            keys.push_back(key + r);
        }
        try {
            store._wait(keys, new Milliseconds(Math.min(env.timeout().toMillis(), READERS_WAIT_MILLIS)));
        } catch (RuntimeException e) {
            // a rank that died or hangs never reads: the store goes regardless
        }
    }

    private Backend group() {
        connect();
        return group;
    }

    private interface Collective {
        Work start();
    }

    /** Runs a collective to its end; a failure (a rank gone, the timeout) names this rank and what was under way. */
    private void collective(String what, Collective collective) {
        try {
            collective.start()._wait(new Milliseconds(env.timeout().toMillis()));
        } catch (RuntimeException e) {
            throw failed(what, e);
        }
    }

    private TorchlightException failed(String what, RuntimeException e) {
        return new TorchlightException("ddp rank " + env.rank() + " of " + env.worldSize() + ": " + what
                + " failed (did another rank die or hang?): " + firstLine(e), e);
    }

    private static String firstLine(RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public String toString() {
        return NAME + Map.of("rank", env.rank(), "world", env.worldSize());
    }
}
