package io.torchlight.strategy.ddp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.ByteVector;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.Scalar;
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
 * joins a Gloo process group; the module's parameters and buffers are broadcast from rank 0 when it moves to its
 * device, and after every backward pass the gradients are averaged over the ranks in one flattened all-reduce.
 * Every rendezvous and collective is bounded by the environment's timeout and fails naming this rank.
 */
public class DdpStrategy implements Strategy {

    /** The strategy's name. */
    public static final String NAME = "ddp";

    private final DdpEnvironment env;
    private volatile Accelerator accelerator;
    private volatile Device device;
    private TCPStore store;
    private ProcessGroupGloo group;
    private long broadcasts;
    private volatile long gradientSyncNanos;
    private volatile long gradientSyncs;

    /** From this process's environment variables (or the system properties of those names the launcher sets). */
    public DdpStrategy() {
        this(DdpEnvironment.ofProcess());
    }

    public DdpStrategy(DdpEnvironment env) {
        this.env = env;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void setup(Accelerator value, List<Integer> devices) {
        if (value.deviceType().value == DeviceType.CUDA.value) {
            throw new TorchlightException("ddp on CUDA needs NCCL, which comes with the GPU build and is not wired yet: "
                    + "use accelerator=cpu with strategy=ddp (Gloo)");
        }
        accelerator = value;
        device = value.device(0);
        value.setup(device);
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
            TCPStoreOptions options = new TCPStoreOptions();
            options.port((short) env.masterPort());
            options.isServer(env.rank() == 0);
            options.numWorkers(new SizeTPointer(1).put(env.worldSize()));
            options.timeout(timeout);
            store = new TCPStore(env.masterAddr(), options);
            store.retainReference();
        } catch (RuntimeException e) {
            throw new TorchlightException("ddp rank " + env.rank() + " of " + env.worldSize() + ": no rendezvous at "
                    + env.masterAddr() + ":" + env.masterPort() + " within " + env.timeout().toSeconds() + " s ("
                    + (env.rank() == 0 ? "is the port in use? set MASTER_PORT" : "is rank 0 up and MASTER_ADDR reachable?")
                    + "): " + firstLine(e), e);
        }
        try {
            ProcessGroupGloo.Options options = ProcessGroupGloo.Options.create(timeout);
            options.devices(new GlooDeviceVector(ProcessGroupGloo.createDeviceForHostname(localAddress())));
            group = new ProcessGroupGloo(store, env.rank(), env.worldSize(), options);
            group.retainReference();
        } catch (RuntimeException e) {
            throw new TorchlightException("ddp rank " + env.rank() + ": the Gloo process group did not form within "
                    + env.timeout().toSeconds() + " s: " + firstLine(e), e);
        }
    }

    /** The address the other ranks reach this one at: loopback for a one-machine run. */
    private String localAddress() {
        String ifname = System.getenv("GLOO_SOCKET_IFNAME");
        if (ifname != null && !ifname.isBlank()) {
            return ifname;
        }
        return env.masterAddr().equals("localhost") || env.masterAddr().startsWith("127.") ? "127.0.0.1" : hostName();
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
    }

    /** Averages the gradients over the ranks: one flattened all-reduce (a parameter without a gradient counts zero). */
    @Override
    public void postBackward(Module module) {
        if (env.worldSize() == 1) {
            return;
        }
        TensorVector params = module.parameters();
        List<Tensor> grads = new ArrayList<>();
        for (long i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.requires_grad()) {
                Tensor g = p.grad();
                if (!g.defined()) {
                    g = torch.zeros_like(p);
                    p.mutable_grad().put(g);
                }
                grads.add(g);
            }
        }
        if (grads.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        TensorVector flat = new TensorVector();
        grads.forEach(g -> flat.push_back(g.reshape(-1)));
        Tensor bucket = torch.cat(flat);
        collective("gradient all-reduce", () -> group().allreduce(new TensorVector(bucket)));
        bucket.div_(new Scalar((double) env.worldSize()));
        long offset = 0;
        for (Tensor g : grads) {
            long n = g.numel();
            g.copy_(bucket.narrow(0, offset, n).view_as(g));
            offset += n;
        }
        gradientSyncNanos += System.nanoTime() - start;
        gradientSyncs++;
    }

    /** The mean time a gradient all-reduce took so far (flatten, all-reduce, average, copy back), in ms; 0 before one. */
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
        ByteVector bytes = store.get(key);
        byte[] data = new byte[(int) bytes.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = bytes.get(i);
        }
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
        if (group != null) {
            group.releaseReference();
            group = null;
        }
        if (store != null) {
            store.releaseReference();
            store = null;
        }
    }

    private ProcessGroupGloo group() {
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
            throw new TorchlightException("ddp rank " + env.rank() + " of " + env.worldSize() + ": " + what
                    + " failed (did another rank die or hang?): " + firstLine(e), e);
        }
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
