package io.torchlight.api;

import java.util.List;

import io.torchlight.utils.data.DataLoader;

/** The list forms of the single-loader hooks. */
final class DataLoaders {

    private DataLoaders() {
    }

    /** One loader as a list; none for null. */
    static List<DataLoader> listOf(DataLoader loader) {
        return loader == null ? List.of() : List.of(loader);
    }
}
