package io.torchlight.torch.internal;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;

import org.bytedeco.pytorch.global.torch;

import io.torchlight.torch.TorchRuntime;

/** The facts about the loaded libtorch, fixed at load time except the live thread count. */
record LoadedRuntime(String libtorchVersion, String presetsVersion, String platform, Path cacheDir,
        boolean cudaAvailable, int cudaDeviceCount, Optional<String> cudaUnavailableReason) implements TorchRuntime {

    @Override
    public int intraOpThreads() {
        return torch.get_num_threads();
    }

    Dictionary<String, Object> serviceProperties() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(PROPERTY_LIBTORCH_VERSION, libtorchVersion);
        p.put(PROPERTY_PRESETS_VERSION, presetsVersion);
        p.put(PROPERTY_PLATFORM, platform);
        p.put(PROPERTY_INTRA_OP_THREADS, intraOpThreads());
        p.put(PROPERTY_CACHE_DIR, cacheDir.toString());
        p.put(PROPERTY_CUDA_AVAILABLE, cudaAvailable);
        p.put(PROPERTY_CUDA_DEVICES, cudaDeviceCount);
        cudaUnavailableReason.ifPresent(r -> p.put(PROPERTY_CUDA_REASON, r));
        return p;
    }
}
