package io.torchlight.utils.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

public class DataLoaderTest {

    /** Ten samples whose single value is their index. */
    private static TensorDataset indices(int n) {
        return new TensorDataset(torch.arange(new Scalar(n)).unsqueeze(1));
    }

    private static List<List<Long>> epoch(DataLoader loader) {
        List<List<Long>> batches = new ArrayList<>();
        try (DataLoader.BatchIterator it = loader.iterator()) {
            while (it.hasNext()) {
                Tensor t = it.next().input();
                List<Long> ids = new ArrayList<>();
                for (long i = 0; i < t.size(0); i++) {
                    ids.add(t.select(0, i).item_long());
                }
                batches.add(ids);
            }
        }
        return batches;
    }

    @Test
    public void batchesInOrderWithASmallerLastBatch() {
        DataLoader loader = DataLoader.of(indices(10)).batchSize(4).build();

        assertEquals(3, loader.size());
        assertEquals(List.of(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L), List.of(8L, 9L)), epoch(loader));
    }

    @Test
    public void dropLastDropsTheSmallerBatch() {
        DataLoader loader = DataLoader.of(indices(10)).batchSize(4).dropLast(true).build();

        assertEquals(2, loader.size());
        assertEquals(2, epoch(loader).size());
    }

    @Test
    public void shuffleIsSeededPerEpoch() {
        DataLoader a = DataLoader.of(indices(20)).batchSize(5).shuffle(true).seed(9).build();
        DataLoader b = DataLoader.of(indices(20)).batchSize(5).shuffle(true).seed(9).build();

        List<List<Long>> first = epoch(a);
        assertEquals(first, epoch(b));
        a.setEpoch(1);
        List<List<Long>> second = epoch(a);
        assertNotEquals(first, second);
        b.setEpoch(1);
        assertEquals(second, epoch(b));
        assertEquals(190L, second.stream().flatMap(List::stream).mapToLong(Long::longValue).sum());
    }

    @Test
    public void workersKeepTheOrder() {
        DataLoader plain = DataLoader.of(indices(50)).batchSize(3).shuffle(true).seed(1).build();
        DataLoader prefetching = DataLoader.of(indices(50)).batchSize(3).shuffle(true).seed(1).numWorkers(3).build();

        assertEquals(epoch(plain), epoch(prefetching));
    }

    @Test
    public void shardsSplitAnEpochLikeDistributedSampler() {
        DataLoader loader = DataLoader.of(indices(10)).batchSize(2).build();

        List<List<Long>> rank0 = epoch(loader.shard(0, 3));
        List<List<Long>> rank1 = epoch(loader.shard(1, 3));

        // padded to 12 indices: rank 0 takes 0,3,6,9; rank 1 takes 1,4,7,0
        assertEquals(List.of(List.of(0L, 3L), List.of(6L, 9L)), rank0);
        assertEquals(List.of(List.of(1L, 4L), List.of(7L, 0L)), rank1);
    }

    /**
     * With shuffling, as Lightning's DistributedSampler with {@code set_epoch}: every rank draws the same permutation
     * for an epoch (seed and epoch), takes every world-th index of it, padded from its start to equal length; the shards
     * are disjoint apart from the padding and cover the dataset, and the next epoch shuffles anew.
     */
    @Test
    public void shuffledShardsShareOnePermutationPerEpoch() {
        DataLoader loader = DataLoader.of(indices(10)).batchSize(4).shuffle(true).seed(7).build();
        List<List<Long>> byEpoch = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            List<Long> all = new ArrayList<>();
            List<List<Long>> shards = new ArrayList<>();
            for (int rank = 0; rank < 3; rank++) {
                DataLoader shard = loader.shard(rank, 3);
                shard.setEpoch(e);
                List<Long> mine = new ArrayList<>();
                epoch(shard).forEach(mine::addAll);
                shards.add(mine);
                all.addAll(mine);
            }
            DataLoader whole = DataLoader.of(indices(10)).batchSize(10).shuffle(true).seed(7).build();
            whole.setEpoch(e);
            List<Long> permutation = epoch(whole).get(0);

            assertEquals("4 each: 10 padded to 12", List.of(4, 4, 4), shards.stream().map(List::size).toList());
            for (int i = 0; i < 12; i++) {
                assertEquals("rank " + (i % 3) + " takes position " + i, permutation.get(i % 10), shards.get(i % 3).get(i / 3));
            }
            assertEquals("every sample is trained", 10, all.stream().distinct().count());
            byEpoch.add(all);
        }
        assertTrue("a new shuffle each epoch", !byEpoch.get(0).equals(byEpoch.get(1)));
    }

    @Test
    public void resumeFromAMidEpochBatch() {
        DataLoader loader = DataLoader.of(indices(10)).batchSize(3).build();

        try (DataLoader.BatchIterator it = loader.iterator(2)) {
            assertEquals(6L, it.next().input().select(0, 0).item_long());
        }
    }

    @Test
    public void customCollate() {
        Dataset<Integer> numbers = new Dataset<>() {
            @Override
            public long size() {
                return 4;
            }

            @Override
            public Integer get(long index) {
                return (int) index * 10;
            }
        };
        DataLoader loader = DataLoader.of(numbers, samples -> Batch.of(torch.tensor(samples.stream().mapToLong(i -> i).toArray())))
                .batchSize(2).build();

        assertEquals(List.of(List.of(0L, 10L), List.of(20L, 30L)), epoch(loader));
    }

    @Test
    public void stackingCollateForPerSampleBatches() {
        Dataset<Batch> samples = new Dataset<>() {
            @Override
            public long size() {
                return 3;
            }

            @Override
            public Batch get(long index) {
                return Batch.of(torch.full(new long[] {2}, new Scalar((double) index)), torch.ones(1));
            }
        };
        try (DataLoader.BatchIterator it = DataLoader.of(samples).batchSize(3).build().iterator()) {
            Batch batch = it.next();
            assertEquals(3, batch.size());
            assertEquals(2, batch.count());
            assertEquals(6.0, batch.input().sum().item_double(), 0);
        }
    }

    @Test
    public void badSettingsNameTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataLoader.of(indices(2)).batchSize(0));
        assertTrue(e.getMessage().contains("batchSize"));
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
                () -> Batch.of(torch.ones(1)).get("image"));
        assertTrue(names.getMessage().contains("'image'"));
    }
}
