package io.torchlight.utils.data;

import org.osgi.annotation.versioning.ConsumerType;

/** Indexed samples, like {@code torch.utils.data.Dataset}. */
@ConsumerType
public interface Dataset<T> {

    /** The number of samples. */
    long size();

    /** The sample at this index, 0 &lt;= index &lt; size(). */
    T get(long index);
}
