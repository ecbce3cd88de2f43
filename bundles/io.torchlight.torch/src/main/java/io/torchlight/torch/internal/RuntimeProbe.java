package io.torchlight.torch.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/** Loads libtorch and reads what the {@link io.torchlight.torch.TorchRuntime} service reports about it. */
final class RuntimeProbe {

    private static final Pattern TORCH_VERSION = Pattern.compile("TORCH_VERSION=([0-9][0-9A-Za-z.+]*)");

    private RuntimeProbe() {
    }

    static LoadedRuntime load() {
        Loader.load(torch.class);
        String presets = presetsVersion();
        String version = libtorchVersion(presets);
        Path cacheDir;
        try {
            cacheDir = Loader.getCacheDir().toPath();
        } catch (IOException e) {
            throw new UncheckedIOException("JavaCPP cache folder is not usable: " + e.getMessage(), e);
        }
        boolean cuda = torch.cuda_is_available();
        int devices = cuda ? torch.cuda_device_count() : 0;
        Optional<String> reason = cuda ? Optional.empty() : Optional.of(cudaReason());
        return new LoadedRuntime(version, presets, Loader.getPlatform(), cacheDir, cuda, devices, reason);
    }

    private static String presetsVersion() {
        try {
            String v = Loader.getVersion("org.bytedeco", "pytorch", torch.class);
            return v == null ? "unknown" : v;
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String libtorchVersion(String presets) {
        try (BytePointer config = torch.show_config()) {
            Matcher m = TORCH_VERSION.matcher(config.getString());
            if (m.find()) {
                return m.group(1);
            }
        }
        int dash = presets.indexOf('-');
        return dash > 0 ? presets.substring(0, dash) : presets;
    }

    private static String cudaReason() {
        String cudaLib = "/org/bytedeco/pytorch/" + Loader.getPlatform() + "/libtorch_cuda.so";
        if (torch.class.getResource(cudaLib) == null) {
            return "the installed natives are CPU-only (no libtorch_cuda); install the GPU build of the natives fragment";
        }
        return "libtorch sees no usable CUDA device (no NVIDIA driver or no GPU visible to this process)";
    }
}
