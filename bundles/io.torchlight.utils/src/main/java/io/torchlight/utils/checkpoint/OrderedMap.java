package io.torchlight.utils.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map written as (and read from) Python's {@code collections.OrderedDict}, like a {@code state_dict}. */
public final class OrderedMap<K, V> extends LinkedHashMap<K, V> {

    private static final long serialVersionUID = 1L;

    public OrderedMap() {
    }

    public OrderedMap(Map<? extends K, ? extends V> m) {
        super(m);
    }
}
