package io.torchlight.api.strategy;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.utils.data.Batch;

/**
 * How a module is placed on devices and how processes cooperate, like Lightning's {@code Strategy}.
 * The single-device strategy runs one process on one device; distributed strategies add collectives.
 * In the container a strategy is a service with {@link #PROPERTY_NAME}.
 */
@ConsumerType
public interface Strategy {

    /** Service property: the strategy's name ({@link String}), e.g. {@code single_device}. */
    String PROPERTY_NAME = "torchlight.strategy.name";

    /** The name runs select it by. */
    String name();

    /**
     * The variables a launcher set for this run's process, as {@code torchrun} sets them ({@code MASTER_ADDR},
     * {@code MASTER_PORT}, {@code WORLD_SIZE}, {@code RANK}, {@code LOCAL_RANK}, {@code NODE_RANK},
     * {@code LOCAL_WORLD_SIZE}): given when the container started a run's other processes itself, before any other
     * call; they take the place of the process's environment for this run. Ignored by default.
     */
    default void environment(Map<String, String> variables) {
    }

    /** Binds the strategy to an accelerator and the device indices the run uses. */
    void setup(Accelerator accelerator, List<Integer> devices);

    /** The device this process trains on. */
    Device rootDevice();

    /** Moves the module's parameters and buffers to the root device. */
    default void moduleToDevice(Module module) {
        module.to(rootDevice(), false);
    }

    /** Moves a batch to the root device. */
    default Batch batchToDevice(Batch batch) {
        return batch.to(rootDevice());
    }

    /** Back-propagates a loss. */
    default void backward(Tensor loss) {
        loss.backward();
    }

    /**
     * After each backward pass of the module (automatic or {@code manualBackward}), before the optimizer steps:
     * distributed data parallel averages the gradients across processes here. Nothing by default.
     */
    default void postBackward(Module module) {
    }

    /** {@link #stopReasons} bit: a stop was asked for (a stop command, the container stopping). */
    int STOP_REQUESTED = 1;
    /** {@link #stopReasons} bit: {@code max_time} has passed. */
    int TIME_UP = 2;

    /**
     * At a training batch boundary: global rank 0's reasons to stop ({@link #STOP_REQUESTED}, {@link #TIME_UP} bits;
     * other ranks' own are ignored), as every rank sees them at the same batch, so all stop together (Lightning's Timer
     * broadcasts its decision after each batch). A distributed strategy may deliver them one batch late, with the next
     * gradient exchange; one process sees its own at once, as by default.
     */
    default int stopReasons(int rankZero) {
        return rankZero;
    }

    /** Combines a tensor across processes (identity with one process). */
    default Tensor reduce(Tensor value, ReduceOp op) {
        return value;
    }

    /**
     * Combines a tensor across the processes of {@code group}, given as their global ranks (Lightning's
     * {@code sync_dist_group}, a group torch.distributed's {@code new_group(ranks)} makes); an empty group is the whole
     * world. By default only the whole world can be reduced over: a strategy that forms subgroups overrides this.
     */
    default Tensor reduce(Tensor value, ReduceOp op, List<Integer> group) {
        if (group.isEmpty() || group.size() == worldSize() && group.stream().distinct().count() == worldSize()) {
            return reduce(value, op);
        }
        throw new UnsupportedOperationException("strategy " + name() + " cannot reduce over the process group " + group
                + " (world size " + worldSize() + "): log without syncDistGroup to reduce over every process");
    }

    /** Gathers a tensor from every process along a new dimension 0. */
    default Tensor allGather(Tensor value) {
        return value.unsqueeze(0);
    }

    /** Sends rank 0's object to every process. */
    default <T> T broadcast(T value) {
        return value;
    }

    /** Waits until every process reaches this point. */
    default void barrier(String name) {
    }

    /** Whether this process is rank 0 (logs, checkpoints). */
    default boolean isGlobalZero() {
        return globalRank() == 0;
    }

    /** The number of processes. */
    default int worldSize() {
        return 1;
    }

    /** This process's rank across all nodes. */
    default int globalRank() {
        return 0;
    }

    /** This process's rank on its node. */
    default int localRank() {
        return 0;
    }

    /** The node (machine) this process runs on, 0 for a run on one machine. */
    default int nodeRank() {
        return 0;
    }

    /** Releases what {@link #setup} took. */
    default void teardown() {
    }
}
