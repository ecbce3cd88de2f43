package io.torchlight.torch;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The loaded libtorch runtime. Registered once, by the runtime bundle, only after every native library
 * has been extracted into JavaCPP's cache and libtorch has been loaded. The values are also published as
 * service properties (the {@code PROPERTY_*} constants) so that code outside the framework, such as the
 * launcher, can read them without loading this interface.
 */
@ProviderType
public interface TorchRuntime {

    /** Service property: libtorch version, e.g. {@code 2.10.0} ({@link String}). */
    String PROPERTY_LIBTORCH_VERSION = "torchlight.libtorch.version";
    /** Service property: Bytedeco preset version, e.g. {@code 2.10.0-1.5.13} ({@link String}). */
    String PROPERTY_PRESETS_VERSION = "torchlight.presets.version";
    /** Service property: libtorch intra-op thread count ({@link Integer}). */
    String PROPERTY_INTRA_OP_THREADS = "torchlight.threads.intraop";
    /** Service property: JavaCPP's native library cache folder ({@link String}). */
    String PROPERTY_CACHE_DIR = "torchlight.javacpp.cachedir";
    /** Service property: whether CUDA is usable ({@link Boolean}). */
    String PROPERTY_CUDA_AVAILABLE = "torchlight.cuda.available";
    /** Service property: number of visible CUDA devices ({@link Integer}). */
    String PROPERTY_CUDA_DEVICES = "torchlight.cuda.devices";
    /** Service property: why CUDA is not usable; absent when it is ({@link String}). */
    String PROPERTY_CUDA_REASON = "torchlight.cuda.reason";
    /** Service property: the native platform, e.g. {@code linux-x86_64} ({@link String}). */
    String PROPERTY_PLATFORM = "torchlight.platform";

    /** The libtorch version, e.g. {@code 2.10.0}. */
    String libtorchVersion();

    /** The Bytedeco PyTorch presets version, e.g. {@code 2.10.0-1.5.13}. */
    String presetsVersion();

    /** The native platform the libraries were built for, e.g. {@code linux-x86_64}. */
    String platform();

    /** libtorch's intra-op thread count at the time of the call. */
    int intraOpThreads();

    /** The folder where JavaCPP extracted the native libraries. */
    Path cacheDir();

    /** Whether libtorch can use a CUDA device in this process. */
    boolean cudaAvailable();

    /** The number of CUDA devices libtorch sees; 0 when CUDA is not usable. */
    int cudaDeviceCount();

    /** Why CUDA is not usable, or empty when it is. */
    Optional<String> cudaUnavailableReason();
}
