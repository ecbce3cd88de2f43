/**
 * The libtorch runtime layer: {@link io.torchlight.torch.TorchRuntime} says that libtorch's native
 * libraries are extracted and loaded, and describes them. Every component that touches a tensor takes a
 * mandatory reference to it, so nothing calls into libtorch before the natives are in place.
 */
@Export
@Version("1.0.0")
package io.torchlight.torch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
