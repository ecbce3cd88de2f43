package io.torchlight.strategy.ddp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorBase;
import org.bytedeco.pytorch.VoidTensorHook;

import io.torchlight.api.TorchlightException;

/**
 * Gradient averaging that overlaps the backward pass, as torch's DDP Reducer: the parameters, in reverse order (the
 * order their gradients tend to become ready), are packed into flat buckets of at most a few MB per dtype; a hook on
 * each parameter copies its gradient into its bucket slot the moment autograd computes it, and a full bucket's
 * all-reduce starts at once (buckets start in index order on every rank, so the collectives match) while backward
 * goes on with the earlier layers. {@link #finish} then fills what no hook saw, waits, and writes the averages back.
 *
 * <p>A parameter this rank did not use in the pass contributes its accumulated gradient, or zeros; each bucket carries
 * one used-flag per parameter, summed with the gradients, so a parameter no rank used keeps no gradient (torch's
 * {@code find_unused_parameters}, always on: the flags cost a few floats per bucket, not a second collective).
 *
 * <p>Hooks run on the thread that runs backward (on the CPU, the caller's); a failure in one is kept and thrown by
 * {@link #finish}, never thrown into autograd.
 */
final class GradientBuckets implements AutoCloseable {

    /** What the buckets need of the process group. */
    interface Collectives {
        /** Starts summing {@code flat} over the ranks in place; {@code what} names it in a failure. */
        Pending allreduce(Tensor flat, String what);
    }

    /** A started collective. */
    interface Pending {
        /** Waits for it to end, failing (bounded) with what was under way. */
        void await();
    }

    /** The bucket sizes: torch's DDP defaults are 1 MB for the first bucket and 25 MB ({@code bucket_cap_mb}) after. */
    record Caps(long firstBytes, long bytes) {
        static final Caps DEFAULT = new Caps(1L << 20, 25L << 20);

        Caps {
            if (firstBytes <= 0 || bytes <= 0) {
                throw new IllegalArgumentException("ddp bucket sizes must be positive, got " + firstBytes + " and " + bytes);
            }
        }
    }

    private final Collectives group;
    private final int worldSize;
    private final Slot[] slots;
    private final Bucket[] buckets;
    private final List<Pointer> owned = new ArrayList<>();
    // made once: a step allocates no scalars
    private final Scalar one = own(new Scalar(1.0));
    private final Scalar zero = own(new Scalar(0.0));
    private final Scalar world;
    private int nextLaunch;
    private volatile RuntimeException failure;
    private double control;
    private double receivedControl;

    GradientBuckets(List<Tensor> parameters, Caps caps, int worldSize, Collectives group) {
        this.group = group;
        this.worldSize = worldSize;
        this.world = own(new Scalar((double) worldSize));
        this.slots = new Slot[parameters.size()];
        List<List<Integer>> assignment = assign(parameters, caps);
        this.buckets = new Bucket[assignment.size()];
        for (int b = 0; b < buckets.length; b++) {
            buckets[b] = new Bucket(b, assignment.get(b), parameters, b == assignment.size() - 1);
        }
    }

    /** A number this rank adds to the next pass's exchange (it travels in the last bucket, summed over the ranks). */
    void control(double value) {
        control = value;
    }

    /** The ranks' control numbers summed by the last {@link #finish}. */
    double receivedControl() {
        return receivedControl;
    }

    /** Parameter indices per bucket: reverse order, one open bucket per dtype, closed when it reaches its cap. */
    private static List<List<Integer>> assign(List<Tensor> parameters, Caps caps) {
        List<List<Integer>> done = new ArrayList<>();
        Map<Integer, List<Integer>> open = new LinkedHashMap<>();
        Map<Integer, Long> openBytes = new LinkedHashMap<>();
        for (int i = parameters.size() - 1; i >= 0; i--) {
            Tensor p = parameters.get(i);
            int dtype = p.scalar_type().value;
            List<Integer> bucket = open.computeIfAbsent(dtype, d -> new ArrayList<>());
            bucket.add(i);
            long bytes = openBytes.merge(dtype, p.numel() * p.element_size(), Long::sum);
            if (bytes >= (done.isEmpty() ? caps.firstBytes() : caps.bytes())) {
                done.add(bucket);
                open.remove(dtype);
                openBytes.remove(dtype);
            }
        }
        done.addAll(open.values());
        return done;
    }

    /** How many buckets the parameters fill. */
    int bucketCount() {
        return buckets.length;
    }

    /**
     * After backward: starts the buckets no hook completed (unused parameters), waits for all, and leaves every
     * parameter any rank used with the mean gradient over the ranks. Ready for the next backward pass afterwards.
     */
    void finish() {
        try {
            RuntimeException failed = failure;
            if (failed != null) {
                throw failed;
            }
            for (Bucket bucket : buckets) {
                bucket.fillUnready();
            }
            launchReady();
            for (Bucket bucket : buckets) {
                bucket.work.await();
            }
            receivedControl = buckets[buckets.length - 1].control.item_double();
            for (Bucket bucket : buckets) {
                bucket.flat.div_(world);
                bucket.writeBack();
            }
        } finally {
            reset();
        }
    }

    private void reset() {
        failure = null;
        nextLaunch = 0;
        for (Bucket bucket : buckets) {
            bucket.reset();
        }
        for (Slot slot : slots) {
            slot.ready = false;
        }
    }

    /** Called by a parameter's hook with the gradient autograd is about to accumulate into it. */
    private void ready(int index, TensorBase incoming) {
        try {
            Slot slot = slots[index];
            if (slot.ready) {
                failure = new TorchlightException("ddp: parameter " + index + " " + slot.shape() + " received its gradient twice "
                        + "in one backward pass: ddp averages after each backward the trainer runs, so call backward once per "
                        + "training step (sum the losses first), through manualBackward rather than loss.backward()");
                return;
            }
            slot.view.copy_(new Tensor(incoming));
            Tensor accumulated = slot.parameter.grad();
            if (accumulated.defined()) {
                slot.view.add_(accumulated); // the gradient as it will be once autograd has accumulated this pass
            }
            slot.ready = true;
            Bucket bucket = buckets[slot.bucket];
            if (--bucket.pending == 0) {
                bucket.flags.fill_(one); // every member used
                launchReady();
            }
        } catch (TorchlightException e) {
            failure = e;
        } catch (RuntimeException | Error e) {
            failure = new TorchlightException("ddp: the gradient hook of parameter " + index + " failed: " + e, e);
        }
    }

    /** Starts every complete bucket not started yet, in index order, the same order on every rank. */
    private void launchReady() {
        while (nextLaunch < buckets.length && buckets[nextLaunch].pending == 0) {
            Bucket bucket = buckets[nextLaunch++];
            if (bucket.control != null) {
                bucket.control.fill_(control == 0 ? zero : new Scalar(control));
            }
            bucket.work = group.allreduce(bucket.flat, "gradient all-reduce of bucket " + bucket.index + " of " + buckets.length);
        }
    }

    /** Removes the hooks and frees the buckets: the parameters train on without them afterwards. */
    @Override
    public void close() {
        for (Slot slot : slots) {
            if (slot != null) {
                slot.parameter.remove_hook(slot.handle);
            }
        }
        owned.forEach(Pointer::releaseReference);
        owned.clear();
    }

    private <T extends Pointer> T own(T pointer) {
        pointer.retainReference();
        owned.add(pointer);
        return pointer;
    }

    /** One parameter's place: its view into a bucket, its used-flag there, its hook. */
    private static final class Slot {
        final Tensor parameter;
        final int bucket;
        final Tensor view;
        final Tensor used;
        int handle;
        boolean ready;

        Slot(Tensor parameter, int bucket, Tensor view, Tensor used) {
            this.parameter = parameter;
            this.bucket = bucket;
            this.view = view;
            this.used = used;
        }

        String shape() {
            return Arrays.toString(parameter.sizes().vec().get());
        }
    }

    /** The hook autograd calls with a parameter's incoming gradient. */
    private final class Hook extends VoidTensorHook {
        private final int index;

        Hook(int index) {
            this.index = index;
        }

        @Override
        public void call(TensorBase grad) {
            ready(index, grad);
        }
    }

    /** A flat tensor holding its parameters' gradients, then one used-flag per parameter (then the control number). */
    private final class Bucket {
        final int index;
        final int[] members;
        final Tensor flat;
        final Tensor flags;
        final Tensor control;
        int pending;
        Pending work;

        Bucket(int index, List<Integer> members, List<Tensor> parameters, boolean carriesControl) {
            this.index = index;
            this.members = members.stream().mapToInt(Integer::intValue).toArray();
            long elements = 0;
            for (int i : this.members) {
                elements += parameters.get(i).numel();
            }
            Tensor first = parameters.get(this.members[0]);
            flat = own(first.detach().new_zeros(elements + this.members.length + (carriesControl ? 1 : 0)));
            flags = own(flat.narrow(0, elements, this.members.length));
            control = carriesControl ? own(flat.narrow(0, elements + this.members.length, 1)) : null;
            long offset = 0;
            for (int k = 0; k < this.members.length; k++) {
                int i = this.members[k];
                Tensor p = own(new Tensor(parameters.get(i)));
                long n = p.numel();
                Tensor view = own(flat.narrow(0, offset, n).view_as(p));
                Tensor used = own(flat.narrow(0, elements + k, 1));
                slots[i] = new Slot(p, index, view, used);
                Hook hook = own(new Hook(i));
                slots[i].handle = p.register_hook(hook);
                offset += n;
            }
            reset();
        }

        void reset() {
            pending = members.length;
            work = null;
        }

        /** The parameters no hook saw this pass: their accumulated gradient, or zeros and "unused". */
        void fillUnready() {
            if (pending == 0) {
                return;
            }
            flags.fill_(one);
            for (int i : members) {
                Slot slot = slots[i];
                if (!slot.ready) {
                    Tensor accumulated = slot.parameter.grad();
                    if (accumulated.defined()) {
                        slot.view.copy_(accumulated);
                    } else {
                        slot.view.zero_();
                        slot.used.fill_(zero);
                    }
                }
            }
            pending = 0;
        }

        /** The averages into the parameters' gradients; one no rank used keeps none. */
        void writeBack() {
            for (int i : members) {
                Slot slot = slots[i];
                if (!slot.ready && slot.used.item_double() == 0) {
                    continue; // unused on every rank: no gradient, as torch leaves it
                }
                Tensor grad = slot.parameter.grad();
                if (grad.defined()) {
                    grad.copy_(slot.view);
                } else {
                    slot.parameter.mutable_grad().put(slot.view.clone());
                }
            }
        }
    }
}
