package io.torchlight.strategy.ddp;

import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.nccl.ProcessGroupNCCL;

import io.torchlight.api.TorchlightException;

/**
 * The c10d backend a rank joins, as torch.distributed picks it: Gloo for the CPU, NCCL for CUDA. NCCL's classes load
 * only when a CUDA run asks for them, so the CPU build never touches its natives.
 */
final class ProcessGroups {

    private ProcessGroups() {
    }

    /**
     * Gloo for {@code rank} of {@code size} over the interface that reaches {@code address} (an interface name from
     * GLOO_SOCKET_IFNAME, or a host).
     */
    static Backend gloo(Store store, int rank, int size, Milliseconds timeout, String address) {
        ProcessGroupGloo.Options options = ProcessGroupGloo.Options.create(timeout);
        options.devices(new GlooDeviceVector(ProcessGroupGloo.createDeviceForHostname(address)));
        return new ProcessGroupGloo(store, rank, size, options);
    }

    /** NCCL for {@code rank} of {@code size}, or a clear error where this libtorch or this machine has none. */
    static Backend nccl(Store store, int rank, int size, Milliseconds timeout) {
        try {
            ProcessGroupNCCL.Options options = ProcessGroupNCCL.Options.create();
            options.timeout(timeout);
            return new ProcessGroupNCCL(store, rank, size, options);
        } catch (LinkageError e) { // natives or the CUDA presets absent: the class cannot initialise
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new TorchlightException("ddp rank " + rank + " on CUDA needs NCCL, which this installation lacks (the GPU "
                    + "build with libnccl.so.2 on the library path; bin/torchlight info lists what is missing): " + root
                    + "; use accelerator=cpu for Gloo", e);
        }
    }
}
