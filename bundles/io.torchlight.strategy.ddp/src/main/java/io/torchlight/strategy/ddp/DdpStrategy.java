package io.torchlight.strategy.ddp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
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
 * joins a Gloo process group, NCCL on CUDA ({@link C10dGroup}); the module's parameters and buffers are broadcast
 * from rank 0 when it moves to its device, and the gradients are averaged over the ranks in buckets whose
 * all-reduces overlap the backward pass ({@link GradientBuckets}, torch's DDP Reducer). Every rendezvous and
 * collective is bounded by the environment's timeout and fails naming this rank.
 */
public class DdpStrategy implements Strategy {

    /** The strategy's name. */
    public static final String NAME = "ddp";

    private volatile DdpEnvironment env;
    private volatile Accelerator accelerator;
    private volatile Device device;
    private volatile C10dGroup c10d;
    private volatile long gradientSyncNanos;
    private volatile long gradientSyncs;
    private volatile GradientBuckets.Caps caps;
    private GradientBuckets buckets;
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
        c10d = new C10dGroup(value);
    }

    /** The container started this run's other ranks: their variables over this process's, before anything connects. */
    @Override
    public synchronized void environment(Map<String, String> variables) {
        if (c10d.connected()) {
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
        c10d.useNccl(cuda);
        c10d.group();
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
                    throw c10d.failed(what, e);
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
        int agreed;
        if (exchangedSinceBoundary) {
            agreed = receivedStop; // what the exchanges since the last boundary carried
        } else {
            agreed = (int) Math.round(reduce(torch.tensor((double) (outgoingStop | mine)), ReduceOp.SUM).item_double());
            mine = 0; // delivered just now
        }
        receivedStop = 0;
        exchangedSinceBoundary = false;
        outgoingStop = mine;
        GradientBuckets b = buckets;
        if (b != null) {
            b.control(mine); // before the next backward: its hooks may start the last bucket early
        }
        return agreed;
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
        Backend sub = c10d.subgroup(members, index);
        collective("reduce over the group " + members, () -> sub.allreduce(new TensorVector(out), C10Ops.allreduce(op)));
        return op == ReduceOp.MEAN ? out.div(new Scalar((double) members.size())) : out;
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
        return c10d.broadcast(value);
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
     * this when a run gives the strategy back. A later collective forms a new group.
     */
    public synchronized void close() {
        closeBuckets();
        C10dGroup closing = c10d;
        c10d = new C10dGroup(env);
        closing.close();
    }

    private Backend group() {
        return c10d.group();
    }

    private void collective(String what, C10dGroup.Collective collective) {
        c10d.collective(what, collective);
    }

    @Override
    public String toString() {
        return NAME + Map.of("rank", env.rank(), "world", env.worldSize());
    }
}
